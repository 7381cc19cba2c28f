"""Identity's adapters: what talks to PostgreSQL, SMTP, argon2, AES-GCM or the shipped files, not a rule."""
