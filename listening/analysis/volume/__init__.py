"""Volume anomaly detection: declines, surges and collector gaps in per-step mention counts.

Pure Python and numpy (no Django), so it can sweep rollups for many tenants at once.
"""

from __future__ import annotations

from listening.analysis.volume.config import DIRECTIONS, SENSITIVITIES, DetectorConfig
from listening.analysis.volume.detector import (
    LatestStatus,
    VolumeAlert,
    VolumeDetector,
    detect,
    detect_latest,
    detect_many,
)

__all__ = [
    "DIRECTIONS", "SENSITIVITIES", "DetectorConfig", "LatestStatus", "VolumeAlert",
    "VolumeDetector", "detect", "detect_latest", "detect_many",
]
