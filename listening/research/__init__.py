"""Research: how well Dengar's analysis works, and the tools that tune it.

Evaluation, tuning and benchmarks, apart from what serves users: the classifier's scoring and
training (``engine/``), the volume detector's scoring, ceiling and synthetic declines
(``volume/``), and the commands that run them (``evaluate_classifier``, ``evaluate_volume``,
``train_classifier``, ``import_twcs``, ``bench``). The runtime never imports this package; it is
an app only outside production and is left out of the built package and the image. The figures
these tools give are in FIGURES.md beside this file.
"""
