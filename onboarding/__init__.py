"""Newcomer onboarding: a start-here reading path, the community's glossary, starter questions."""
