"""The USUARIO ALIADO web application: Spanish pages for people, a client of the gateway's public API."""
