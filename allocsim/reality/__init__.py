"""The money actually awarded, as a scenario beside simulations, and a check of the competitive
model against it."""
