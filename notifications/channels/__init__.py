"""Outside message providers, one module each (Zalo ZNS, eSMS), each optional by environment."""
