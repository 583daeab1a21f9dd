"""How one record names another: its slug, name and API URL."""

from rest_framework import serializers

from cooperation.api.serializers.fields import EntryURLField
from cooperation.models import Actor, Challenge, Era, Mechanism, Region, Source


class ActorRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:actor-detail", lookup_field="slug")

    class Meta:
        model = Actor
        fields = ["url", "slug", "name", "short_name", "kind"]


class MechanismRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:mechanism-detail", lookup_field="slug")

    class Meta:
        model = Mechanism
        fields = ["url", "slug", "name", "category"]


class ChallengeRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:challenge-detail", lookup_field="slug")

    class Meta:
        model = Challenge
        fields = ["url", "slug", "name", "category"]


class RegionRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:region-detail", lookup_field="slug")

    class Meta:
        model = Region
        fields = ["url", "slug", "name"]


class EraRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:era-detail", lookup_field="slug")

    class Meta:
        model = Era
        fields = ["url", "slug", "name"]


class SourceRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:source-detail", lookup_field="slug")

    class Meta:
        model = Source
        fields = ["url", "slug", "title"]
