"""Operations on the whole database: backups and restores, health probes, erasing a person."""
