#!/usr/bin/env bash
# Walkthrough for the README: prints each call and its answer.
set -euo pipefail
B=http://127.0.0.1:3999
ADMIN=walk-admin-token-0123456789abcdef
j() { curl -s "$@"; echo; }
M=$(curl -s -X POST $B/v1/merchants -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"name":"審査商店","settings":{"rules":{"publishRequiresSecondKey":true}}}')
echo "MERCHANT $M"
MID=$(echo "$M" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
K1=$(curl -s -X POST $B/v1/merchants/$MID/api-keys -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"name":"fraud-analyst","scopes":["rules:read","rules:draft","rules:publish","orders:read","orders:score","orders:feedback"]}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')
K2=$(curl -s -X POST $B/v1/merchants/$MID/api-keys -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"name":"fraud-lead","scopes":["rules:read","rules:publish"]}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')
ORDER() { cat <<JSON
{ "orderId": "$1", "amount": $2, "paymentMethod": "card",
  "card": { "bin": "401234", "last4": "4242", "issuerCountry": "JP" },
  "buyer": { "name": "山田 太郎", "nameKana": "ヤマダ タロウ", "email": "$3", "phone": "03-3210-1234",
             "address": { "prefecture": "東京都", "city": "千代田区", "town": "丸の内", "block": "1-1-1", "room": "1001" }, "ip": "203.0.113.7" },
  "shipTo": { "name": "$4", "address": { "prefecture": "大阪府", "city": "大阪市北区", "town": "梅田", "block": "$5" } },
  "items": [ { "name": "デジタル一眼カメラ", "category": "camera", "unitPrice": $2, "quantity": 1 } ] }
JSON
}
for i in 1 2 3 4 5 6; do
  curl -s -X POST $B/v1/orders/score -H "authorization: Bearer $K1" -H 'content-type: application/json' -d "$(ORDER A-2000$i $((30000 + i * 10000)) buyer$i@example.co.jp '山田 太郎' "3-4-$i")" > /dev/null
done
echo "== DRAFT"
j -X POST $B/v1/rulesets -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{
  "rules": [
    { "id": "far-high-value", "name": "高額・遠隔地配送", "when": "order.amount >= 50000 && order.shipTo.address.prefecture != order.buyer.address.prefecture", "action": { "add": 20 }, "note": "5万円以上で県外配送" },
    { "id": "free-mail-drop", "name": "フリーメール＋配送先集中", "when": "order.buyer.email.endsWith(\"@example-free.jp\") && \"VELOCITY_SHIP_TO\" in reasons", "action": { "set": "hold" } }
  ],
  "weights": { "EMAIL_FREE_DOMAIN": 0 }, "thresholds": { "elevated": 10, "high": 30 } }'
echo "== BAD DRAFT"
j -X POST $B/v1/rulesets -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{"rules":[{"id":"typo","name":"誤記","when":"order.amout >= 50000","action":{"add":20}}]}'
echo "== SHADOW"
j -X POST $B/v1/rulesets/1/shadow -H "authorization: Bearer $K1"
sleep 6; j $B/v1/rulesets/1 -H "authorization: Bearer $K1" > /dev/null
for i in 7 8; do
  j -X POST $B/v1/orders/score -H "authorization: Bearer $K1" -H 'content-type: application/json' -d "$(ORDER A-2000$i 98000 buyer$i@example.co.jp '山田 太郎' "3-4-$i")"
done
echo "== FEEDBACK"
j -X POST $B/v1/orders/A-20008/feedback -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{"type":"chargeback"}'
j -X POST $B/v1/orders/A-20006/feedback -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{"type":"legitimate"}'
j -X POST $B/v1/orders/A-20002/feedback -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{"type":"legitimate"}'
echo "== GET ORDER"
j $B/v1/orders/A-20008 -H "authorization: Bearer $K1"
echo "== WHAT IF"
j -X POST $B/v1/orders/A-20007/what-if -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{"version":1}'
echo "== BACKTEST"
BT=$(curl -s -X POST $B/v1/backtests -H "authorization: Bearer $K1" -H 'content-type: application/json' -d '{"version":1,"from":"2026-01-01T00:00:00+09:00","to":"2027-01-01T00:00:00+09:00"}' || true)
echo "$BT"
BTID=$(echo "$BT" | node -pe 'try { JSON.parse(require("fs").readFileSync(0)).id } catch { "" }')
if [ -n "$BTID" ] && [ "$BTID" != "undefined" ]; then sleep 3; j $B/v1/backtests/$BTID -H "authorization: Bearer $K1"; fi
echo "== PUBLISH same key"
j -X POST $B/v1/rulesets/1/publish -H "authorization: Bearer $K1"
echo "== PUBLISH second key"
j -X POST $B/v1/rulesets/1/publish -H "authorization: Bearer $K2"
echo "== SCORE LIVE"
j -X POST $B/v1/orders/score -H "authorization: Bearer $K1" -H 'content-type: application/json' -d "$(ORDER A-20009 98000 buyer9@example.co.jp '山田 太郎' '3-4-9')"
echo "== LIST"
j $B/v1/rulesets -H "authorization: Bearer $K1"
sleep 6
echo "== GET VERSION"
j $B/v1/rulesets/1 -H "authorization: Bearer $K1"
