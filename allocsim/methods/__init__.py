"""The methods a rule can name, each a small object in a registry.

:mod:`~allocsim.methods.normalisers` puts indicators on a common scale,
:mod:`~allocsim.methods.aggregations` combines them into one score. The rule schema takes its
allowed values from these registries and the engine applies them; a new method is one entry.
"""
