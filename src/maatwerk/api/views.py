from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .exceptions import problem_response
from .permissions import IsApiClient, api_client


class ClientSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    token_prefix = serializers.CharField()
    token_expires_at = serializers.DateTimeField()


class ClientView(APIView):
    """Lets a partner check its token: which client it is, its scopes and when it expires."""

    permission_classes = [IsApiClient]

    @extend_schema(
        responses=ClientSerializer, summary="The API client behind this token", tags=["clients"]
    )
    def get(self, request):
        client = api_client(request)
        data = {
            "name": client.name,
            "organisation": client.organisation.name,
            "scopes": client.scopes,
            "token_prefix": request.auth.prefix,
            "token_expires_at": request.auth.expires_at,
        }
        return Response(ClientSerializer(data).data)


@csrf_exempt  # it answers 404 and changes nothing, for any method
def not_found(request, *args, **kwargs):
    return problem_response(404, "not_found", _("Not found."))
