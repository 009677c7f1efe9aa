#!/bin/sh
# Fills the firewall's allowlist (nftables set inet pgi bot_apis, see nftables-pgi-assistant.conf) with
# the addresses of the Bot API servers the bot talks to; run as root before each start of the service
# (ExecStartPre in pgi-assistant.service) and, if their addresses change, hourly from cron.
# Without nftables' pgi table loaded it does nothing (the data centre's own firewall then applies).
set -eu
HOSTS=${PGI_ALLOWED_HOSTS:-"api.telegram.org bot-api.zaloplatforms.com"}
command -v nft >/dev/null 2>&1 || exit 0
nft list set inet pgi bot_apis >/dev/null 2>&1 || exit 0
for host in $HOSTS; do
  for addr in $(getent ahostsv4 "$host" | awk '{print $1}' | sort -u); do
    nft add element inet pgi bot_apis "{ $addr }"
  done
# the mail server of the e-mail channel (SMTP_HOST from pgi.env, the unit's EnvironmentFile)
if [ -n "${SMTP_HOST:-}" ] && nft list set inet pgi mail_servers >/dev/null 2>&1; then
  for addr in $(getent ahostsv4 "$SMTP_HOST" | awk '{print $1}' | sort -u); do
    nft add element inet pgi mail_servers "{ $addr }"
  done
  for addr in $(getent ahostsv6 "$SMTP_HOST" | awk '{print $1}' | grep ':' | sort -u); do
    nft add element inet pgi mail_servers6 "{ $addr }"
  done
fi
  for addr in $(getent ahostsv6 "$host" | awk '{print $1}' | grep ':' | sort -u); do
    nft add element inet pgi bot_apis6 "{ $addr }"
  done
# the mail server of the e-mail channel (SMTP_HOST from pgi.env, the unit's EnvironmentFile)
if [ -n "${SMTP_HOST:-}" ] && nft list set inet pgi mail_servers >/dev/null 2>&1; then
  for addr in $(getent ahostsv4 "$SMTP_HOST" | awk '{print $1}' | sort -u); do
    nft add element inet pgi mail_servers "{ $addr }"
  done
  for addr in $(getent ahostsv6 "$SMTP_HOST" | awk '{print $1}' | grep ':' | sort -u); do
    nft add element inet pgi mail_servers6 "{ $addr }"
  done
fi
done
# the mail server of the e-mail channel (SMTP_HOST from pgi.env, the unit's EnvironmentFile)
if [ -n "${SMTP_HOST:-}" ] && nft list set inet pgi mail_servers >/dev/null 2>&1; then
  for addr in $(getent ahostsv4 "$SMTP_HOST" | awk '{print $1}' | sort -u); do
    nft add element inet pgi mail_servers "{ $addr }"
  done
  for addr in $(getent ahostsv6 "$SMTP_HOST" | awk '{print $1}' | grep ':' | sort -u); do
    nft add element inet pgi mail_servers6 "{ $addr }"
  done
fi
