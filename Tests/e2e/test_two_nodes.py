"""Two `patchbay serve` processes on one database: a catalog sync made elsewhere reaches both."""

import json
import shutil
import time
import urllib.request

from conftest import ARTIFACTS, ROOT, run_cli, start_server


def get_json(base, path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_a_catalog_sync_reaches_every_node_within_a_second(server, server_env, tmp_path):
    token = run_cli(server_env, "token", "create", "--tenant", "demo", "--role", "viewer", "--name", "two-nodes").strip()
    second, second_base = start_server(server_env, ARTIFACTS / "server-2.log")
    try:
        for base in (server, second_base):
            assert get_json(base, "/api/v1/catalog/discord", token)["version"] == "1.0.0"

        seeds = tmp_path / "seeds"
        seeds.mkdir()
        manifest = json.loads((ROOT / "Seeds/connectors/discord.json").read_text())
        manifest["version"] = "1.0.1"
        manifest["description"] = "Posts messages to Discord channels (two-node test)."
        (seeds / "discord.json").write_text(json.dumps(manifest, indent=2))
        run_cli(server_env, "seed", "--from", str(seeds))  # a third process makes the change

        deadline = time.time() + 1.0
        seen = {}
        while time.time() < deadline:
            seen = {base: get_json(base, "/api/v1/catalog/discord", token)["version"] for base in (server, second_base)}
            if set(seen.values()) == {"1.0.1"}:
                break
            time.sleep(0.02)
        assert set(seen.values()) == {"1.0.1"}, f"both nodes should serve the new version within 1 s: {seen}"
    finally:
        second.terminate()
        assert second.wait(timeout=15) == 0
