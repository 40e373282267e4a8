"""Fault injection and fuzzing (marker ``faults``): hostile input, poison documents,
concurrent writers and slow servers must never break a batch or corrupt the store."""
