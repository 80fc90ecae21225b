"""The demo's chat robot: a local JSON webhook the demo office's alerts post to (``ChatRobot`` rows
point at ``json://127.0.0.1:8000/demo/robot/``), so the outbox is seen working with no internet.
It logs what it receives and keeps the last few messages in memory."""

import json
import logging
from collections import deque

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

RECEIVED: deque[dict] = deque(maxlen=20)


@csrf_exempt
@require_POST
def demo_robot(request: HttpRequest) -> HttpResponse:
    try:
        message = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"ok": False}, status=400)
    RECEIVED.append(message)
    logger.warning("demo.robot received: %s", str(message.get("title", ""))[:200])
    return JsonResponse({"ok": True})
