"""Labelled posts for the peer comparison (bench/bench_peers.py): secrets and personal identifiers.

Written before any rule was changed to fit them, in the shapes the peers document: each token family
detect-secrets and gitleaks know, assignments, URLs with credentials, placeholders, UUIDs, hashes, base64 that
is not a secret; Presidio's personal entities in the forms people type. Secret values are drawn from a seeded
generator (`{A36}`: 36 letters and digits, `{h32}`: lower-case hex, `{U16}`: upper case and digits, `{d10}`:
digits, `{b40}`: base64 characters, `{w30}`: URL-safe characters, `{uuid}`), so no real-looking key is
stored here and every run sees the same strings. Each case: (label, family, post); `label` True means the
post holds a secret (or a personal identifier) and the value is what must be found.
"""

from __future__ import annotations

import random
import string
import uuid

import regex

SEED = 20250612

# (family, post with the secret in {{ }})
SECRETS: list[tuple[str, str]] = [
    ("aws access key id", "Found {{AKIA{U16}}} in an old commit, rotating it now"),
    ("aws secret key", "aws_secret_access_key = {{{b40}}}"),
    ("github classic token", "git clone https://{{ghp_{A36}}}@github.com/acme/portal.git works from CI"),
    ("github fine-grained token", "new PAT for the runner: {{github_pat_{A22}_{A59}}}"),
    ("github oauth token", "the app stored {{gho_{A36}}} in localStorage, yikes"),
    ("gitlab personal token", "my gitlab token {{glpat-{w20}}} stopped working after the upgrade"),
    ("gitlab deploy token", "deploy with GL_DEPLOY={{gldt-{w20}}} in the pipeline"),
    ("openai project key", "OPENAI_API_KEY={{sk-proj-{w48}}}"),
    ("openai legacy key", "client = OpenAI(api_key='{{sk-{A20}T3BlbkFJ{A20}}}')"),
    ("anthropic key", 'Anthropic(api_key="{{sk-ant-api03-{w93}AA}}")'),
    ("hugging face token", "DEV=1 HF_TOKEN={{hf_{A34}}} poetry run python app.py"),
    ("npm token", "//registry.npmjs.org/:_authToken={{npm_{A36}}}"),
    ("pypi token", "twine upload -u __token__ -p {{pypi-AgEIcHlwaS5vcmc{w70}}} dist/*"),
    ("sendgrid key", "SENDGRID_API_KEY={{SG.{w22}.{w43}}}"),
    ("twilio api key", "twilio api key {{SK{h32}}} for the SMS reminders"),
    ("shopify token", "storefront token {{shpat_{h32}}} (please don't judge)"),
    ("atlassian token", "jira API token {{ATATT3xFfGF0{w180}}} for the sync script"),
    ("datadog key", "DD_API_KEY={{{h32}}} in the helm values"),
    ("okta token", "okta SSWS {{00{w40}}} pasted in the runbook"),
    ("telegram bot token", "bot = Bot('{{{d10}:AA{w33}}}')"),
    ("slack bot token", "slack bot {{xoxb-{d12}-{d13}-{A24}}} in the config"),
    ("slack user token", "SLACK_TOKEN={{xoxp-{d12}-{d12}-{d13}-{h32}}}"),
    ("slack app token", "socket mode needs {{xapp-1-A{U10}-{d13}-{h64}}}"),
    ("slack webhook", "alerts go to {{https://hooks.slack.com/services/T{U8}/B{U10}/{A24}}}"),
    ("discord webhook", "{{https://discord.com/api/webhooks/{d18}/{w68}}} posts the build status"),
    ("discord bot token", "DISCORD_TOKEN={{MT{A22}.{w6}.{w38}}}"),
    (
        "azure storage key",
        "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={{{b86}==}};EndpointSuffix=core.windows.net",
    ),
    ("azure ad client secret", "client secret for the app registration: {{{w3}8Q~{w34}}}"),
    ("google api key", "maps key {{AIza{w35}}} is unrestricted"),
    ("google oauth secret", '"client_secret": "{{GOCSPX-{w28}}}"'),
    ("stripe live key", 'stripe.api_key = "{{sk_live_{A24}}}"'),
    ("stripe restricted key", "the reporting job uses {{rk_live_{A24}}}"),
    ("mailchimp key", "mailchimp api key {{{h32}-us12}}"),
    ("square token", "square access token {{EAAA{w60}}}"),
    ("artifactory key", "artifactory api key {{AKCp{A69}}}"),
    ("ibm cloud key", "IBM_CLOUD_API_KEY={{{w44}}}"),
    ("jwt signed", "Bearer {{eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI{A30}.{w43}}}"),
    ("jwt unsigned", "token was {{eyJhbGciOiJub25lIn0.eyJ1c2VyIjoi{A24}.}} (alg none!)"),
    (
        "private key block",
        "{{-----BEGIN RSA PRIVATE KEY-----\nMIIEow{b60}\n{b64}\n-----END RSA PRIVATE KEY-----}}",
    ),
    (
        "openssh private key",
        "{{-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blb{b64}\n-----END OPENSSH PRIVATE KEY-----}}",
    ),
    ("url with credentials", "DATABASE_URL={{postgres://app:{A16}@db.internal:5432/claims}}"),
    ("url with credentials", "mirror at {{https://deploy:{A12}@files.acme.io/releases}}"),
    ("url with credentials", "{{mongodb+srv://admin:{A14}@cluster0.abcd.mongodb.net}}/test"),
    ("connection string", "Server=sql01;Database=Claims;User Id=sa;{{Password={A14}}};"),
    ("curl basic auth", "curl -u {{admin:Summer2024}} https://jira.internal/rest/api/2/search"),
    ("assignment", "export API_TOKEN={{{A32}}}"),
    ("assignment", "DB_PASSWORD={{{A12}}}"),
    ("assignment", 'password: "{{Tr0ub4dor&3}}"'),
    ("assignment", "SECRET_KEY={{django-insecure-{w50}}}"),
    ("assignment", "client_secret: {{{A32}}}"),
    ("assignment", '"apiKey": "{{{A32}}}"'),
    ("assignment", 'token = "{{{h40}}}"'),
    ("header", "Authorization: Bearer {{{A40}}}"),
    ("header", "-H 'X-API-Key: {{{A32}}}'"),
    ("stated password", "the wifi password is {{correct-horse-battery-staple}} for guests"),
    ("stated password", "reset it, the admin password is {{Summer2024!}} on every box"),
    ("stated password", 'our shared passphrase is "{{purple monkey dishwasher lamp}}"'),
    ("cli password", "docker login -u ci -p {{{A20}}} registry.acme.io"),
    ("cli password", "mysql -u root {{-p{A12}}} claims_db"),
    ("heroku key", "heroku api key {{{uuid}}}"),
    ("vault token", "VAULT_TOKEN={{hvs.{w90}}}"),
    ("digitalocean token", "doctl auth init -t {{dop_v1_{h64}}}"),
    ("databricks token", "databricks token {{dapi{h32}}}"),
    ("grafana token", "grafana service account {{glsa_{A32}_{h8}}}"),
    ("postman key", "postman {{PMAK-{h24}-{h34}}}"),
    ("linear key", "LINEAR_API_KEY={{lin_api_{A40}}}"),
    ("new relic key", "new relic user key {{NRAK-{U27}}}"),
    ("doppler token", "DOPPLER_TOKEN={{dp.st.prd.{A40}}}"),
    ("pulumi token", "pulumi login with {{pul-{h40}}}"),
    ("sentry token", "SENTRY_AUTH_TOKEN={{sntrys_{w80}}}"),
]

# Posts with no secret in them, in the shapes scanners trip on.
NOT_SECRETS: list[tuple[str, str]] = [
    (
        "slack placeholder",
        "set SLACK_BOT_TOKEN=xoxb-xxxxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx in .env",
    ),
    ("aws documented example", "the docs use AKIAIOSFODNN7EXAMPLE as the sample key"),
    ("placeholder", "API_KEY=<your-api-key>"),
    ("placeholder", "password: changeme  # set a real one before deploying"),
    ("placeholder", "export GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
    ("placeholder", "password: '********'"),
    ("placeholder", "Use `hf_...` from your settings page as HF_TOKEN"),
    ("reference", "export TOKEN=${TOKEN}"),
    ("reference", "password = os.environ['DB_PASSWORD']"),
    ("reference", "token: ${{ secrets.GITHUB_TOKEN }}"),
    ("reference", "secretName: tls-cert"),
    ("reference", "api_key = settings.OPENAI_API_KEY"),
    ("reference", "password_file: /run/secrets/db_password"),
    ("uuid", "request id {uuid} failed with a 502, anyone else?"),
    ("uuid", "tenant_id: {uuid}"),
    ("uuid", 'correlation id "{uuid}" in the logs'),
    ("git sha", "fixed in commit {h40}, cherry-picked to the release branch"),
    ("hash", "sha256: {h64}  discreet-1.4.0.tar.gz"),
    ("hash", 'md5 checksum "{h32}" matches the mirror'),
    ("docker digest", "image: ghcr.io/acme/api@sha256:{h64}"),
    ("npm integrity", '"integrity": "sha512-{b86}=="'),
    (
        "base64 image",
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    ),
    ("base64 text", "echo 'SGVsbG8sIExpbmtlZEluISBUaGlzIGlzIGp1c3QgYmFzZTY0Lg==' | base64 -d"),
    ("ssh public key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b43} ops@laptop"),
    ("url", "https://docs.google.com/document/d/{w44}/edit?usp=sharing"),
    ("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"),
    ("url", "https://github.com/acme/portal/pull/1432/commits/{h40}"),
    ("url", "https://example.com/search?q=oauth+token+rotation&page=2"),
    ("aws arn", "arn:aws:iam::123456789012:role/DeployRole"),
    ("config word", "token_type: bearer"),
    ("config word", "auth: true"),
    ("config word", "password_min_length: 12"),
    ("config word", "max_tokens=4096"),
    ("config word", "sort_key=created_at"),
    ("config word", "AUTH_TYPE=oauth2"),
    ("config word", "api_key_header = 'X-API-Key'"),
    ("prose", "Password reset flows are hard: we rebuilt ours around magic links."),
    ("prose", "Token bucket rate limiting saved our API during the launch."),
    ("prose", "The secret to good onboarding is a runbook people actually read."),
    ("prose", "Rotate your API keys every 90 days and never paste them in Slack."),
    ("prose", "Our key takeaway from the pen test: MFA everywhere."),
    ("version", "Bump lodash from 4.17.20 to 4.17.21"),
    ("ip address", "status page moved to 203.0.113.54 while DNS propagates"),
    ("hex colour", "brand colours: #1A73E8, #34A853 and #FBBC05"),
    ("mac address", "the printer's MAC is 00:1B:44:11:3A:B7"),
    ("bcrypt cost", "bcrypt with cost 12 takes about 250 ms per hash here"),
    ("jwt explained", "A JWT is three base64url parts: header.payload.signature, starting with eyJ."),
    ("random id", "ticket INC-{d7} closed after the patch"),
    ("random id", "order #{d12} shipped"),
    ("random id", "Build {d8}.{d1} is green"),
]

# (entity, post with the identifier in {{ }})
PERSONAL: list[tuple[str, str]] = [
    ("phone", "You can text me on {{(415) 555-0132}} after six"),
    ("phone", "my cell is {{415-555-0198}}"),
    ("phone", "reach Dana at {{415.555.0174}} tonight"),
    ("phone", "my US number is {{+1 415 555 0132}}, call any time"),
    ("phone", "WhatsApp {{+1-212-555-0147}}"),
    ("phone", "Her mobile is {{07700 900123}} if the ward needs her"),
    ("phone", "ring me on {{+44 7700 900461}}"),
    ("phone", "home phone {{+44 (0)20 7946 0958}}"),
    ("phone", "his landline is {{020 7946 0321}}"),
    ("phone", "in Dublin you can get me on {{+353 85 123 4567}}"),
    ("phone", "my Australian mobile: {{+61 412 345 678}}"),
    ("phone", "call my brother on {{+91 98765 43210}}"),
    ("phone", "German number {{+49 30 12345678}}"),
    ("phone", "French mobile {{+33 6 12 34 56 78}}"),
    ("phone", "text her at {{4155550132}}"),
    ("phone", "Call me at {{1 (212) 555-0123}} ext. 204"),
    ("phone", "Canadian cell {{+1 604 555 0188}}"),
    ("phone", "my number changed to {{(312) 555-0170}}"),
    ("email", "email me at {{jane.doe@gmail.com}} and I'll send the forms"),
    ("email", "{{dana_reed84@yahoo.co.uk}} is her personal address"),
    ("email", "send it to {{j.smith@acme-corp.com}} please"),
    ("email", "my personal one is {{priya@fastmail.com}}"),
    ("email", "{{tom+newsletters@outlook.com}} gets all the spam"),
    ("email", "her address is {{mkowalski@northwind.io}}"),
    ("email", "contact {{r.patel@nhs.net}} about the rota"),
    ("email", "ping {{wei.zhang@contoso.com}} for the slides"),
    ("ssn", "SSN {{536-22-1234}} was in the subject line of the ticket"),
    ("ssn", "her social is {{536 22 1234}}"),
    ("ssn", "SSN: {{536221234}}"),
    ("ssn", "the form still shows {{219-09-9999}} as his SSN"),
    ("itin", "ITIN {{912-78-3456}} on the W-7"),
    ("card", "Card {{4111 1111 1111 1111}} was read out on the call"),
    ("card", "mastercard {{5555 5555 5555 4444}} exp 09/27"),
    ("card", "amex {{3782 822463 10005}}"),
    ("card", "discover {{6011111111111117}}"),
    ("card", "JCB {{3530-1113-3330-0000}}"),
    ("card", "diners {{3056 9309 0259 04}}"),
    ("card", "unionpay card {{6200000000000005}}"),
    ("card", "new Mastercard {{2223 0031 2200 3222}}"),
    ("iban", "pay into {{GB82 WEST 1234 5698 7654 32}}"),
    ("iban", "IBAN {{DE89370400440532013000}}"),
    ("iban", "my account {{FR14 2004 1010 0505 0001 3M02 606}}"),
    ("iban", "{{NL91ABNA0417164300}} is her Dutch account"),
    ("nino", "NI number {{AB123456C}} on the payslip"),
    ("nino", "national insurance {{jg 10 37 59 a}}"),
    ("nino", "NINO: {{JG-10-37-59-A}}"),
    ("address", "She moved to {{742 Evergreen Terrace, Springfield, IL 62704}} last month"),
    ("address", "he lives at {{221B Baker Street, London NW1 6XE}}"),
    ("address", "send the card to {{18 Willow Lane, Leeds LS6 2AB}}"),
    ("address", "my address is {{4521 Oak Ridge Drive, Apt 3, Austin, TX 78731}}"),
    ("address", "ship to {{90 Maple Avenue, Brooklyn, NY 11215}} please"),
]

NOT_PERSONAL: list[tuple[str, str]] = [
    ("company phone", "Call our helpdesk on 0800 123 4567 for support"),
    ("company phone", "Fax: +1 212 555 0199 (main office)"),
    ("company phone", "call us on 0345 600 7000 to book"),
    ("role mailbox", "Send your CV to careers@northgate.io"),
    ("role mailbox", "questions to support@acme.com"),
    ("role mailbox", "info@clinic.co.uk answers within a day"),
    ("order number", "Order #4111-2222-3333 shipped"),
    ("ticket", "ticket INC-0012345 closed"),
    ("invoice", "invoice 2024-000123 is overdue"),
    ("isbn", "ISBN 978-0-306-40615-7"),
    ("version", "upgrade to build 10.0.19045.3570"),
    ("date", "go-live moved to 2024-03-15 at 14:30"),
    ("luhn fails", "reference 4111 1111 1111 1112"),
    ("iban fails", "code GB00 WEST 1234 5698 7654 32 in the mock-up"),
    ("company address", "Visit us at our office, 1 Main Street, Boston, MA 02110"),
    ("numbers", "we processed 1,234,567 claims in 2023"),
    ("money", "budget of $4,500,000 approved"),
    ("tracking", "tracking 1Z999AA10123456784"),
    ("uuid", "id 3f2b8c1e-9d4a-4c7b-8e2f-1a2b3c4d5e6f"),
    ("po", "PO 4500012345 approved"),
    ("short number", "dial 911 or 999 in an emergency"),
    ("extension", "extension 4021 rings the service desk"),
    ("serial", "serial number SN-7788-1234-5566"),
    ("epoch", "timestamp 1699999999 in the log"),
    ("build", "Build 20240315.4 is green"),
    ("coordinates", "coordinates 51.5072, -0.1276"),
    ("stats", "latency p99 went from 1200 ms to 340 ms across 5000000 requests"),
    ("account id", "AWS account 123456789012 is the sandbox"),
    ("person name", "Great panel with Priya Shah on interoperability"),
    ("year range", "from 2019-2024 we grew to 300 staff"),
    ("nhs service", "call 111 if it is not an emergency"),
    ("postcode only", "our new office is near SW1A 1AA"),
]

# Written after the rules were changed to the sets above, in shapes and phrasings they do not use, and never
# used to tune a rule: `bench_peers.py --held-out` measures on these alone.
SECRETS_HELD_OUT: list[tuple[str, str]] = [
    ("assignment", "AWS_SESSION_TOKEN={{FwoGZXIvYXdzE{b120}}}"),
    ("url with token", "git remote set-url origin https://oauth2:{{glpat-{w20}}}@gitlab.com/acme/app.git"),
    ("github server token", "the action printed {{ghs_{A36}}} in the logs"),
    ("github refresh token", "refresh token {{ghr_{A36}}}"),
    ("header", "Authorization: token {{ghp_{A36}}}"),
    ("azure ad client secret", "AZURE_CLIENT_SECRET={{{w3}7Q~{w34}}}"),
    ("url with credentials", "{{redis://:{A20}@cache.internal:6379/0}}"),
    ("url with credentials", "BROKER={{amqp://svc:{A12}@rabbit:5672}}"),
    ("assignment", "PGPASSWORD={{{A14}}} psql -h db -U app"),
    ("cli password", "sshpass -p '{{{A12}}}' ssh root@10.0.0.5"),
    ("stated password", "my VPN pass is {{Tr1cky!Horse}}"),
    ("stated password", "login: admin / pw: {{{A10}}}"),
    ("stripe live key", "stripe listen --api-key {{sk_live_{A24}}}"),
    ("shopify secret", "shopify app secret {{shpss_{h32}}}"),
    ("terraform cloud token", "TF_TOKEN_app_terraform_io={{{A14}.atlasv1.{A67}}}"),
    ("header", "x-api-key: {{{h40}}}"),
    ("assignment", "SLACK_SIGNING_SECRET={{{h32}}}"),
    ("url query", "POST /oauth/token?grant_type=client_credentials&client_secret={{{A40}}}"),
    ("url query", "https://graph.example.com/me?access_token={{{A40}}}"),
    ("private key block", "{{-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE{b60}\n-----END EC PRIVATE KEY-----}}"),
    ("cloudflare token", "cloudflare api token {{{w40}}}"),
    ("yaml", "  password: {{{A16}}}"),
]
NOT_SECRETS_HELD_OUT: list[tuple[str, str]] = [
    ("placeholder", "API_KEY=your_api_key_here"),
    ("config word", "token_expiry=3600"),
    ("prose", "The secret sauce is aggressive caching."),
    ("prose", "Passwordless login is live for everyone!"),
    ("reference", "token: !vault |"),
    ("prose", "git commit -m 'rotate api key'"),
    ("hash", "sha1: {h40}"),
    ("etag", 'ETag: "{h32}"'),
    ("placeholder", "Authorization: Bearer <token>"),
    ("uuid", "session id {uuid} expired"),
    ("prose", "AKIA at the start of a key means long-term credentials"),
    ("reference", "curl -u $USER:$PASS https://api.internal/health"),
    ("cli", "docker login -u ci --password-stdin registry.acme.io"),
    ("cli", "npm install --save-dev @types/node"),
    ("ssh public key", "ssh-rsa AAAAB3NzaC1yc2E{b80} deploy@host"),
    ("git sha", "commit {h40}: fix token refresh"),
    ("config word", "secret_rotation_days: 90"),
    ("url", "https://example.com/reset-password?step=2"),
]
PERSONAL_HELD_OUT: list[tuple[str, str]] = [
    ("phone", "my cell: {{415 555 0133}}"),
    ("phone", "call me: {{(646) 555-0170}} x12"),
    ("phone", "mob. {{07911 123456}}"),
    ("phone", "{{+1 (415) 555-0101}} is my new number"),
    ("phone", "WhatsApp {{+234 803 123 4567}}"),
    ("phone", "her Japanese mobile {{+81 90-1234-5678}}"),
    ("email", "reach me: {{anna.kowalska@o2.pl}}"),
    ("email", "{{mike_84@hotmail.co.uk}} is my old address"),
    ("email", "email sam at {{samuel.ortiz@protonmail.com}}"),
    ("email", "his uni address {{s.nguyen@university.edu}}"),
    ("ssn", "SSN#: {{078-05-1120}}"),
    ("ssn", "social security number {{123 45 6789}}"),
    ("card", "visa {{4012 8888 8888 1881}}"),
    ("card", "mc: {{5105105105105100}}"),
    ("card", "amex {{371449635398431}} exp 04/28"),
    ("iban", "Spanish account {{ES91 2100 0418 4502 0005 1332}}"),
    ("iban", "IBAN: {{IT60X0542811101000000123456}}"),
    ("nino", "NI no. {{CE 12 34 56 D}}"),
    ("address", "my new place is {{55 Elm Street, Apt 2, Portland, OR 97205}}"),
    ("address", "post it to {{12 High Street, Bristol BS1 4DJ}}"),
]
NOT_PERSONAL_HELD_OUT: list[tuple[str, str]] = [
    ("company phone", "call 0345 123 4567 (our switchboard)"),
    ("company phone", "support line +1 800 555 0199"),
    ("role mailbox", "send it to hr@company.com"),
    ("role mailbox", "from no-reply@github.com"),
    ("luhn fails", "order 4012-8888-8888-1882"),
    ("version", "version 2.3.4.5 ships today"),
    ("room", "room 12-345 in building B"),
    ("money", "Q3 revenue 12,345,678"),
    ("isbn", "ISBN 0-306-40615-2"),
    ("ticket", "ticket #555-0134 reopened"),
    ("build", "build 2024.11.30 is out"),
    ("company address", "our HQ: 1 Infinite Loop, Cupertino, CA 95014"),
    ("date", "due 11/30/2026 at 5pm"),
    ("stats", "we served 2,000,000 requests at 99.99% uptime"),
]

_ALPHABETS = {
    "A": string.ascii_letters + string.digits,
    "a": string.ascii_lowercase + string.digits,
    "h": "0123456789abcdef",
    "U": string.ascii_uppercase + string.digits,
    "d": string.digits,
    "b": string.ascii_letters + string.digits + "+/",
    "w": string.ascii_letters + string.digits + "_-",
}
_FIELD = regex.compile(r"\{(?P<kind>[AahUdbw])(?P<n>\d+)\}|\{uuid\}")


def _fill(template: str, rng: random.Random) -> str:
    def value(m: regex.Match) -> str:
        if m.group() == "{uuid}":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        alphabet = _ALPHABETS[m.group("kind")]
        return "".join(rng.choice(alphabet) for _ in range(int(m.group("n"))))

    return _FIELD.sub(value, template)


def _posts(cases: list[tuple[str, str]], label: bool, rng: random.Random) -> list[dict]:
    out = []
    for family, template in cases:
        filled = _fill(template, rng)
        if label:
            start = filled.index("{{")
            end = filled.index("}}") - 2
            text = filled.replace("{{", "", 1).replace("}}", "", 1)
            out.append({"family": family, "label": True, "text": text, "span": [start, end]})
        else:
            out.append({"family": family, "label": False, "text": filled, "span": None})
    return out


def secret_posts(held_out: bool = False) -> list[dict]:
    rng = random.Random(SEED)
    if held_out:
        return _posts(SECRETS_HELD_OUT, True, rng) + _posts(NOT_SECRETS_HELD_OUT, False, rng)
    return _posts(SECRETS, True, rng) + _posts(NOT_SECRETS, False, rng)


def personal_posts(held_out: bool = False) -> list[dict]:
    rng = random.Random(SEED)
    if held_out:
        return _posts(PERSONAL_HELD_OUT, True, rng) + _posts(NOT_PERSONAL_HELD_OUT, False, rng)
    return _posts(PERSONAL, True, rng) + _posts(NOT_PERSONAL, False, rng)
