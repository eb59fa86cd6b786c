"""Marsad's web app and REST API (``marsad serve``): thin shells over ``marsad.queries``."""
