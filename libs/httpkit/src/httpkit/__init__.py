"""ASGI pieces for the apps that face people (the gateway, the web application); no dependencies."""
