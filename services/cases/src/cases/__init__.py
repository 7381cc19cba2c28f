"""CTVC oficios and cases, evidence and response matrices."""
