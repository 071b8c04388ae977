from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import memberships


class MembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")
    team = serializers.CharField(source="team.name", allow_null=True, default=None)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    @extend_schema(
        responses=MeSerializer, summary="Who am I and what roles do I have", tags=["accounts"]
    )
    def get(self, request):
        data = {
            "username": request.user.username,
            "get_full_name": request.user.get_full_name(),
            "memberships": memberships(request.user),
        }
        return Response(MeSerializer(data).data)
