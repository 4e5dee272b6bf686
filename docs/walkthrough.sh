#!/usr/bin/env bash
# A warm handover from OCMW Ranst to VDAB Antwerpen, step by step, against a running `npm start`
# (the demo seed): the journey of ../shared/domain/README.md as the README's "A warm handover, step by
# step" tells it. Needs curl and node. Run it once per database: the client's INSZ can be registered once.
#   bash docs/walkthrough.sh [http://127.0.0.1:3000]
set -euo pipefail
BASE=${1:-http://127.0.0.1:3000}
PASSWORD=Demo-Partner-2026

login() { curl -sf "$BASE/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" | json 'b.accessToken'; }
# api TOKEN METHOD PATH [curl options...]: JSON in, JSON out, in Dutch; fails loudly on an error status
api() {
  local token=$1 method=$2 path=$3 out
  shift 3
  if ! out=$(curl -s --fail-with-body -X "$method" "$BASE$path" -H "authorization: Bearer $token" -H 'accept-language: nl' "$@"); then
    echo "$method $path failed: $out" >&2
    exit 1
  fi
  printf '%s' "$out"
}
# post TOKEN PATH JSON [curl options...]
post() { api "$1" POST "$2" -H 'content-type: application/json' -d "$3" "${@:4}"; }
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const b=JSON.parse(s);console.log($1)})"; }
step() { printf '\n== %s\n' "$*"; }

OCMW=$(login social.worker@ocmw-ranst.demo)
VDAB=$(login mediator@vdab-antwerpen.demo)
PRIVACY=$(login privacy@ocmw-ranst.demo)
VDAB_ORG=$(api "$OCMW" GET /organisations | json "b.find(o => o.name === 'VDAB Antwerpen').id")

step '1. OCMW: register a leefloon client'
CLIENT=$(post "$OCMW" /clients '{"insz":"91021741233","firstName":"Leila","lastName":"Benali","birthDate":"1991-02-17",
  "contact":{"phone":"+32 470 55 66 77"},
  "employment":{"jobTarget":{"occupation":"Magazijnier","bottleneckOccupation":true}},
  "obstacles":{"mobility":"Geen rijbewijs","childcare":"Twee kinderen, 3 en 6"},
  "welfare":{"incomeSituation":"LEEFLOON","notes":"Schuldbemiddeling loopt"}}' | json 'b.id')
echo "client $CLIENT"

step '2. OCMW: inform her of the exchange with VDAB (a notice; WELFARE stays with the OCMW)'
post "$OCMW" "/clients/$CLIENT/consents" "{\"recipientOrganisationIds\":[\"$VDAB_ORG\"],\"purposes\":[\"MEDIATION\"],
  \"categories\":[\"IDENTITY\",\"CONTACT\",\"EMPLOYMENT\",\"TRAJECTORY\",\"OBSTACLES\"],
  \"legalBasis\":\"PUBLIC_TASK_NOTICE\",\"method\":\"SIGNED_FORM\",\"validFrom\":\"2026-11-01\"}" | json '`consent ${b.id}`'

step '3. OCMW: not yet ready (debts first); VDAB takes note; the OCMW lifts it when she is ready'
REVIEW=$(node -p "new Date(Date.now() + 90 * 864e5).toISOString().slice(0, 10)")
SIGNAL=$(post "$OCMW" /handovers "{\"kind\":\"NOT_YET_READY\",\"clientId\":\"$CLIENT\",\"toOrganisationId\":\"$VDAB_ORG\",
  \"categories\":[],\"note\":\"Eerst de schuldbemiddeling afronden\",\"reviewDate\":\"$REVIEW\",\"send\":true}" | json 'b.id')
V=$(post "$VDAB" "/handovers/$SIGNAL/acknowledge" '{"version":2}' | json 'b.status + " " + b.version')
echo "signal $SIGNAL: $V"
post "$OCMW" "/handovers/$SIGNAL/withdraw" "{\"version\":${V#* }}" | json 'b.status'

step '4. OCMW: add her CV, and send the warm handover with it'
CV=$(api "$OCMW" POST "/clients/$CLIENT/documents" -F category=EMPLOYMENT \
  -F "file=@-;filename=CV Leila Benali.pdf;type=application/pdf" < <(printf '%%PDF-1.7\n%% CV\n%%%%EOF\n') | json 'b.id')
INTAKE=$(node -p "new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10)")
HANDOVER=$(post "$OCMW" /handovers "{\"kind\":\"WARM_HANDOVER\",\"clientId\":\"$CLIENT\",\"toOrganisationId\":\"$VDAB_ORG\",
  \"categories\":[\"IDENTITY\",\"CONTACT\",\"EMPLOYMENT\",\"OBSTACLES\"],\"documentIds\":[\"$CV\"],
  \"note\":\"Gemotiveerd, klaar voor bemiddeling. Graag een driegesprek.\",\"proposedIntakeDates\":[\"$INTAKE\"],\"send\":true}" | json 'b.id')
echo "handover $HANDOVER"

step '5. VDAB: the handover, who sent it, what it offers, before deciding'
api "$VDAB" GET "/handovers/$HANDOVER" | json '`${b.status}: ${b.note}\nfrom ${b.sender.displayName} (${b.sender.email}), ${b.sender.organisationName}\ndocuments: ${b.documents.map(d => d.fileName)}`'
api "$VDAB" GET "/clients/$CLIENT" -H 'x-purpose: MEDIATION' | json 'Object.keys(b.shared[0]).filter(k => !["organisationId","organisationName","withheld"].includes(k)) + " (withheld: " + b.shared[0].withheld + ")"'
api "$VDAB" GET "/documents/$CV" -H 'x-purpose: MEDIATION' -o /dev/null -w 'CV: HTTP %{http_code}, %{size_download} bytes'; echo

step '6. VDAB asks, the OCMW answers (every question and answer is kept)'
V=$(post "$VDAB" "/handovers/$HANDOVER/request-info" '{"version":2,"question":"Is er een rijbewijs in aanmaak?"}' | json 'b.version')
V=$(post "$OCMW" "/handovers/$HANDOVER/answer" "{\"version\":$V,\"answer\":\"Ja, theorie geslaagd in oktober.\"}" | json 'b.version')
api "$VDAB" GET "/handovers/$HANDOVER/messages" | json 'b.items.map(m => `${m.kind}: ${m.body}`).join("\n")'

step '7. VDAB accepts, confirms the intake, and starts the mediation'
ACCEPTED=$(post "$VDAB" "/handovers/$HANDOVER/accept" "{\"version\":$V}")
TRAJECTORY=$(echo "$ACCEPTED" | json 'b.trajectoryId')
post "$VDAB" "/handovers/$HANDOVER/intake" "{\"version\":$(echo "$ACCEPTED" | json 'b.version'),\"date\":\"$INTAKE\",\"time\":\"10:30\"}" | json '`intake ${b.intake.date} ${b.intake.time}`'
TV=$(api "$VDAB" GET "/trajectories/$TRAJECTORY" -H 'x-purpose: MEDIATION' | json 'b.version')
TV=$(post "$VDAB" "/trajectories/$TRAJECTORY/transitions" "{\"to\":\"ACTIVE\",\"version\":$TV}" -H 'x-purpose: MEDIATION' | json 'b.version')
post "$VDAB" "/trajectories/$TRAJECTORY/type" "{\"type\":\"COMBINED_PATHWAY\",\"reason\":\"Screening: NT2 naast werkplekleren\",\"version\":$TV}" \
  -H 'x-purpose: MEDIATION' | json '`trajectory ${b.id}: ${b.status} ${b.type}`'

step '8. OCMW, the director: the trajectory as VDAB left it'
api "$OCMW" GET "/trajectories/$TRAJECTORY" | json '`${b.status} ${b.type}, participants ${b.participants.map(p => p.capacity)}`'

step "9. The OCMW's privacy officer: who saw Leila's data, for what"
api "$PRIVACY" GET "/clients/$CLIENT/access-report?format=csv"
