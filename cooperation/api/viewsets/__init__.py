"""The core domain's API resources, one module per subject, on the shared base viewset."""
