"""USUARIO ALIADO access requests, drafts, evaluation queue and deadlines."""
