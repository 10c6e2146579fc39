"""The dispute dossier: the case view, escalation guide, deadlines, letters, PDF and ZIP."""
