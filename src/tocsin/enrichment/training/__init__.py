"""Training code for the enrichment models (needs scikit-learn: ``pip install tocsin[train]``)."""
