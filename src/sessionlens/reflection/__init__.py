"""Self-reflection: memory held against data, the private journal, relationship-centred markers,
measures (PHQ-9, GAD-7), trends, the wellbeing and "where do I stand?" check-ins, and the language
guard every sentence here passes. Pure functions over stored analyses; the vault is the services'."""
