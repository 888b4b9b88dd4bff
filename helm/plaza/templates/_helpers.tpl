{{/* Names ----------------------------------------------------------------------------- */}}
{{- define "plaza.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "plaza.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", args: (list $ "component") */}}
{{- define "plaza.componentName" -}}
{{- printf "%s-%s" (include "plaza.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "plaza.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels, args: (list $ "component") ------------------------------------------------ */}}
{{- define "plaza.selectorLabels" -}}
app.kubernetes.io/name: {{ include "plaza.name" (index . 0) }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "plaza.labels" -}}
{{- $ := index . 0 -}}
helm.sh/chart: {{ include "plaza.chart" $ }}
{{ include "plaza.selectorLabels" . }}
app.kubernetes.io/version: {{ $.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $.Release.Service }}
app.kubernetes.io/part-of: plaza
{{- with $.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels shared by every pod of the release's services (NetworkPolicy peers) */}}
{{- define "plaza.appPodLabels" -}}
app.kubernetes.io/name: {{ include "plaza.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
plaza.dev/tier: app
{{- end -}}

{{- define "plaza.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "plaza.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* A service's settings: serviceDefaults overlaid by services.<name>; args: (list $ "name") */}}
{{- define "plaza.service" -}}
{{- $ := index . 0 -}}
{{- $name := index . 1 -}}
{{- $svc := mergeOverwrite (deepCopy $.Values.serviceDefaults) (deepCopy (index $.Values.services $name)) -}}
{{- toYaml $svc -}}
{{- end -}}

{{- define "plaza.image" -}}
{{- $ := index . 0 -}}
{{- $name := index . 1 -}}
{{- $svc := index . 2 -}}
{{- $img := $svc.image | default dict -}}
{{- $repo := $img.repository | default (printf "%s-%s" $.Values.image.repository $name) -}}
{{- $tag := $img.tag | default $.Values.image.tag | default $.Chart.AppVersion -}}
{{- if $.Values.image.registry -}}
{{- printf "%s/%s:%s" $.Values.image.registry $repo $tag -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{/* Security contexts ------------------------------------------------------------------ */}}
{{- define "plaza.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "plaza.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Databases -------------------------------------------------------------------------- */}}
{{/* args: (list $ "postgresql"|"mariadb") */}}
{{- define "plaza.db.host" -}}
{{- $ := index . 0 -}}
{{- $db := index $.Values (index . 1) -}}
{{- if $db.enabled -}}{{ include "plaza.componentName" . }}{{- else -}}{{ required (printf "%s.external.host is required when %s.enabled=false" (index . 1) (index . 1)) $db.external.host }}{{- end -}}
{{- end -}}

{{- define "plaza.db.port" -}}
{{- $ := index . 0 -}}
{{- $db := index $.Values (index . 1) -}}
{{- if $db.enabled -}}{{ ternary 5432 3306 (eq (index . 1) "postgresql") }}{{- else -}}{{ $db.external.port }}{{- end -}}
{{- end -}}

{{- define "plaza.db.secretName" -}}
{{- $ := index . 0 -}}
{{- $db := index $.Values (index . 1) -}}
{{- $db.auth.existingSecret | default (include "plaza.componentName" .) -}}
{{- end -}}

{{- define "plaza.db.url" -}}
{{- $ := index . 0 -}}
{{- $kind := index . 1 -}}
{{- $dbName := index . 2 -}}
{{- $db := index $.Values $kind -}}
{{- $params := ternary "" $db.external.params $db.enabled -}}
{{- printf "jdbc:%s://%s:%s/%s%s" $kind (include "plaza.db.host" (list $ $kind)) (include "plaza.db.port" (list $ $kind)) $dbName $params -}}
{{- end -}}

{{/* Database names of the enabled services on one server, one per line; args: (list $ "postgresql") */}}
{{- define "plaza.db.names" -}}
{{- $ := index . 0 -}}
{{- $kind := index . 1 -}}
{{- range $name, $raw := $.Values.services -}}
{{- if and $raw.enabled (eq ($raw.database | default "") $kind) }}
{{ $raw.databaseName | default (printf "plaza_%s" $name) }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A password kept across upgrades: the existing Secret's value, else a new random one.
     args: (list $ secretName key) → base64 value */}}
{{- define "plaza.keptPassword" -}}
{{- $ := index . 0 -}}
{{- $existing := lookup "v1" "Secret" $.Release.Namespace (index . 1) -}}
{{- if and $existing $existing.data (hasKey $existing.data (index . 2)) -}}
{{- index $existing.data (index . 2) -}}
{{- else -}}
{{- randAlphaNum 32 | b64enc -}}
{{- end -}}
{{- end -}}

{{/* "true" when a ServiceMonitor is rendered (then pods carry no prometheus.io annotations: no double scrape) */}}
{{- define "plaza.serviceMonitor.active" -}}
{{- if and .Values.metrics.serviceMonitor.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") -}}true{{- end -}}
{{- end -}}

{{/* The public base URL people reach Plaza at (links in mails, the sign-in page): the ingress host (https with
     ingress TLS), else http://localhost. */}}
{{- define "plaza.publicUrl" -}}
{{- if .Values.ingress.host -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- else -}}
http://localhost
{{- end -}}
{{- end -}}

{{/* The OIDC issuer (the `iss` auth signs and every service expects): config.jwt.issuer, else the public base URL. */}}
{{- define "plaza.jwt.issuer" -}}
{{- .Values.config.jwt.issuer | default (include "plaza.publicUrl" .) -}}
{{- end -}}
