"""Money for a rule: the money options of a run, a budget shared among a rule's priority groups
(:mod:`allocsim.allocation`), and its modelled health return (:mod:`allocsim.health`)."""
