"""MITT LIV Oppvekst learning platform: competence modules with knowledge from children."""
