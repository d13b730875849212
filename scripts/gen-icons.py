#!/usr/bin/env python3
"""Draws Public/icons/<key>.svg for every manifest in Seeds/connectors/.

Each icon is a rounded square in its category's colour with a one- or two-letter monogram in
white. They are our own drawings: no provider logos. Re-run after adding a connector; existing
icons are rewritten so they stay consistent.

Usage: scripts/gen-icons.py [--root DIR]
"""

import argparse
import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

# One colour per category; white text on each passes WCAG AA for large text.
CATEGORY_COLOURS = {
    "communication": "#2563eb",
    "crm": "#0f766e",
    "marketing": "#db2777",
    "payments": "#4f46e5",
    "finance": "#15803d",
    "productivity": "#d97706",
    "developer": "#334155",
    "monitoring": "#b91c1c",
    "social": "#0284c7",
    "publishing": "#7c3aed",
    "ecommerce": "#65a30d",
    "database": "#1e40af",
    "storage": "#0e7490",
    "messaging": "#c2410c",
    "analytics": "#9333ea",
    "support": "#0d9488",
    "hr": "#a16207",
    "identity": "#475569",
    "http": "#52525b",
    "ai": "#6d28d9",
}

# Monograms that the name alone would not give well.
MONOGRAMS = {
    "activecampaign": "AC",
    "airtable": "At",
    "amazon_ses": "SE",
    "azure_blob": "AB",
    "backblaze_b2": "B2",
    "bamboohr": "BH",
    "bigcommerce": "BC",
    "bigquery": "BQ",
    "bitbucket": "BB",
    "calendly": "Cy",
    "cassandra": "Ca",
    "clickhouse": "CH",
    "clickup": "CU",
    "cloudflare_r2": "R2",
    "cockroachdb": "CR",
    "confluence": "Cn",
    "contentful": "Cf",
    "custom-http": "{}",
    "digitalocean_spaces": "DO",
    "docusign": "DS",
    "dropbox_sign": "Sg",
    "dynamodb": "Dy",
    "elasticsearch": "ES",
    "facebook_pages": "FB",
    "firebase": "Fb",
    "ftp": "FT",
    "gcs": "CS",
    "github": "GH",
    "gitlab": "GL",
    "google_analytics": "GA",
    "google_calendar": "GC",
    "google_drive": "GD",
    "google_pubsub": "PS",
    "google_sheets": "GS",
    "graphql": "GQ",
    "hubspot": "HS",
    "hugging_face": "HF",
    "instagram": "IG",
    "intercom": "IC",
    "kafka": "Ka",
    "kinesis": "Ki",
    "linkedin": "in",
    "mailchimp": "MC",
    "mailgun": "Mg",
    "mariadb": "Ma",
    "mastodon": "Mt",
    "minio": "Mi",
    "miro": "Mr",
    "mixpanel": "Mx",
    "monday": "Md",
    "mongodb": "Mo",
    "mqtt": "MQ",
    "mssql": "MS",
    "mysql": "My",
    "nats": "NA",
    "onedrive": "OD",
    "openai": "AI",
    "opensearch": "OS",
    "oracle": "Or",
    "outlook": "Ou",
    "pagerduty": "PD",
    "paypal": "PP",
    "pipedrive": "Pd",
    "postgresql": "PG",
    "quickbooks": "QB",
    "rabbitmq": "RQ",
    "redis": "Rd",
    "redis_pubsub": "RP",
    "redshift": "RS",
    "rest": "RE",
    "s3": "S3",
    "sendgrid": "SG",
    "sentry": "Sy",
    "sftp": "SF",
    "smtp": "SM",
    "snowflake": "Sn",
    "sns": "SN",
    "soap": "SO",
    "sqlite": "SL",
    "sqs": "SQ",
    "strapi": "Sp",
    "telegram": "Tg",
    "toggl": "To",
    "twitter": "X",
    "webhook": "WH",
    "whatsapp_business": "WA",
    "woocommerce": "WC",
    "wordpress": "WP",
    "youtube": "YT",
    "zendesk": "ZD",
}

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def monogram(key: str, name: str) -> str:
    if key in MONOGRAMS:
        return MONOGRAMS[key]
    words = [w for w in name.replace("(", " ").replace(")", " ").split() if w[:1].isalnum()]
    if words and words[0] in ("Google", "Microsoft", "Amazon", "Azure", "AWS") and len(words) > 1:
        words = words[1:]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    word = words[0] if words else key
    return word[0].upper() + (word[1].lower() if len(word) > 1 else "")


def svg(name: str, colour: str, letters: str) -> str:
    size = 24 if len(letters) == 1 else 19
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48" '
        f'role="img" aria-label="{escape(name, {chr(34): "&quot;"})}">\n'
        f"  <title>{escape(name)}</title>\n"
        f'  <rect width="48" height="48" rx="10" fill="{colour}"/>\n'
        f'  <text x="24" y="25" text-anchor="middle" dominant-baseline="middle" '
        f'font-family="{FONT}" font-size="{size}" font-weight="600" fill="#ffffff">'
        f"{escape(letters)}</text>\n"
        "</svg>\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    icons = args.root / "Public" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted((args.root / "Seeds" / "connectors").glob("*.json")):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        key, name = manifest["key"], manifest["name"]
        colour = CATEGORY_COLOURS.get(manifest.get("category"), CATEGORY_COLOURS["http"])
        (icons / f"{key}.svg").write_text(svg(name, colour, monogram(key, name)), encoding="utf-8")
        written += 1
    print(f"wrote {written} icons to {icons}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
