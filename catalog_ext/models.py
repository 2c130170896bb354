"""OCOP certificates and the GI registry live here (see the catalogue issue)."""
