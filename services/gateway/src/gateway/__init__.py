"""The public HTTP API: authentication, routing to services, health."""
