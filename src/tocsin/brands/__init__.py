"""Brands and their competitors: the entities Tocsin listens for."""
