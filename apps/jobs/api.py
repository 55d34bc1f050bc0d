from rest_framework import mixins, serializers, viewsets

from .models import Job
from .selectors import job_list


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "message",
            "error",
            "deliveries",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Background jobs of the organisation: poll one for its status and progress."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()  # the model, for the schema and the route probe

    def get_queryset(self):
        queryset = job_list()
        for field in ("status", "kind"):
            value = self.request.query_params.get(field)
            if value:
                queryset = queryset.filter(**{field: value})
        return queryset
