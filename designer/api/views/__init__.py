"""API views, one module per resource; an address that is none of them answers a JSON 404."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def no_such_endpoint(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": f"there is no API endpoint at {request.path}; /api/docs/ lists them"}, status=404)
