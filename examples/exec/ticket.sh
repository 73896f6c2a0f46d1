#!/bin/sh
# Wraps a ticketing API call as an exec resource (see docs/drivers.md): opens a change ticket once per revision,
# checks that it is still open, closes it on removal. TICKET_API and TICKET_TOKEN_FILE come from the resource's env
# (the token stays in a file on the target: it never travels through the hub).
# The idempotency key (capability, resource, revision) goes into the request, so a retried call finds the ticket
# it already opened instead of opening a second one.
set -eu
key="${FLEET_CAPABILITY}/${FLEET_RESOURCE}@${FLEET_REVISION}"
api="${TICKET_API:?set TICKET_API in env}"
auth="Authorization: Bearer $(cat "${TICKET_TOKEN_FILE:?set TICKET_TOKEN_FILE in env}")"
case "${1:-open}" in
  open)
    # The body (summary, target, change window) arrives on stdin, rendered by the hub for this target.
    curl -fsS --max-time 30 -H "$auth" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
      --data-binary @- "$api/changes" ;;
  check)
    curl -fsS --max-time 30 -H "$auth" "$api/changes?key=$key&state=open" | grep -q '"id"' ;;
  close)
    curl -fsS --max-time 30 -H "$auth" -X POST "$api/changes/close?key=$key" ;;
esac
