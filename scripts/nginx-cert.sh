#!/usr/bin/env bash
# Makes a fresh self-signed certificate for the "Connecting Applications with Services" tutorial.
#
# The tutorial's embedded certificate is for CN=nginxsvc and expired in 2018, so
# `curl https://my-nginx --cacert /etc/nginx/ssl/tls.crt` fails with it. This writes a
# CN=my-nginx certificate (with the Service's DNS names as subjectAltNames, which current TLS
# clients check instead of the CN) and prints the two ways to use it (decision D6).
#
# Usage: npm run nginx-cert [-- DIR [NAMESPACE]]   (DIR defaults to .secrets, which git ignores)
set -euo pipefail
dir=${1:-.secrets}
ns=${2:-default}
mkdir -p "$dir"
umask 077
openssl req -x509 -nodes -days 365 -newkey rsa:2048 \
  -keyout "$dir/nginx.key" -out "$dir/nginx.crt" \
  -subj "/CN=my-nginx/O=my-nginx" \
  -addext "subjectAltName=DNS:my-nginx,DNS:my-nginx.$ns,DNS:my-nginx.$ns.svc,DNS:my-nginx.$ns.svc.cluster.local" \
  2>/dev/null
cat <<MSG
Wrote $dir/nginx.crt and $dir/nginx.key (CN=my-nginx, valid 365 days).
Either create the Secret in the cluster:
  kubectl create secret tls nginxsecret --namespace $ns --key $dir/nginx.key --cert $dir/nginx.crt
or let synth write it into dist/nginx-https.k8s.yaml (keep dist/ out of git):
  NGINX_TLS_CERT_FILE=$dir/nginx.crt NGINX_TLS_KEY_FILE=$dir/nginx.key npm run synth:k8s
MSG
