from django.urls import path

from dashboard import learning, oauth, queue, replies, tokens, views
from dashboard.alerts import alert_history

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("tokens/", tokens.token_list, name="tokens"),
    # <pk>, not <token_id>: a token is the user's, not a tenant's, so it is not one of the
    # tenant routes tests/isolation walks; tests/dashboard/test_tokens_page.py checks ownership.
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("t/<slug:slug>/", views.tenant_overview, name="tenant"),
    path("t/<slug:slug>/alerts/", alert_history, name="alerts"),
    path("t/<slug:slug>/mentions/", views.mention_list, name="mentions"),
    path("t/<slug:slug>/mentions/<int:mention_id>/", views.mention_detail, name="mention"),
    path("t/<slug:slug>/mentions/<int:mention_id>/reply/", replies.mention_reply, name="mention-reply"),
    path("t/<slug:slug>/bulk-actions/", queue.bulk_actions, name="bulk-actions"),
    path("t/<slug:slug>/saved-views/", queue.saved_views, name="saved-views"),
    path("t/<slug:slug>/queue-settings/", queue.queue_settings, name="queue-settings"),
    path("t/<slug:slug>/learning/", learning.learning, name="learning"),
    path("t/<slug:slug>/sources/<int:source_id>/connect/", oauth.source_connect, name="source-connect"),
    # No tenant in the address: the platform calls back one fixed URL, and the state decides.
    path("oauth/<slug:provider>/callback/", oauth.oauth_callback, name="oauth-callback"),
]
