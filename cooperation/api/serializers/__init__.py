"""The core domain's serializers: output (list and detail) and input (writes) per subject."""
