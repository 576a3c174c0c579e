"""Fleets: one snapshot per node, aggregated to give a verdict per node and point at the odd node out."""
