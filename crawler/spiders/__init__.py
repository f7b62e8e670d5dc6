"""Spiders: one generic e-paper spider (``epaper``) over site-family adapters."""
