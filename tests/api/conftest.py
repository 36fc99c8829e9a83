# SPDX-License-Identifier: MIT
"""Fixtures for the API tests: a real localvpc daemon on a free loopback port
with its own temporary state dir, driven by Debian's boto3 and aws CLI.

Each test gets a fresh daemon (start-up takes milliseconds), so quotas and
the default VPC are those of a new account."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import boto3
import botocore.config
import pytest

BIN = os.environ.get("LOCALVPC_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "localvpc")
AWS = "/usr/bin/aws"
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """One `localvpc serve` process; stop() ends it by its pid only."""

    def __init__(self, state_dir, port=None, extra=()):
        self.state_dir = state_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # API tests exercise the control plane alone; the data plane has its
        # own tests (tests/net) that need root and real namespaces.
        self.extra = list(extra) or ["--no-dataplane"]
        self.proc = None
        self.log_path = os.path.join(state_dir, "..", f"daemon-{self.port}.log")

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--state-dir", self.state_dir] + self.extra,
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daemon exited with {self.proc.returncode}: "
                                   + open(self.log_path).read())
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("daemon did not start listening")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
            # The API is served by the daemon's child process, which dies
            # just after its parent (parent-death signal): until its socket
            # is gone a restart's first connection could reach it.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                except OSError:
                    break
                time.sleep(0.01)
        rc = self.proc.returncode if self.proc else None
        self.proc = None
        return rc

    def client(self, region=REGION, key="test", secret="test"):
        return boto3.client(
            "ec2", endpoint_url=self.url, region_name=region,
            aws_access_key_id=key, aws_secret_access_key=secret,
            config=botocore.config.Config(retries={"max_attempts": 0}))

    def aws(self, *args, check=True):
        """Runs the Debian aws CLI against the daemon; returns parsed JSON
        (or None for empty output).  With check=False returns
        (returncode, stdout, stderr)."""
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_DEFAULT_REGION=REGION, AWS_PAGER="", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_MAX_ATTEMPTS="1")
        p = subprocess.run([AWS, "--endpoint-url", self.url, "--output", "json", *args],
                           capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                           timeout=60)
        if not check:
            return p.returncode, p.stdout, p.stderr
        if p.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed: {p.stderr}")
        return json.loads(p.stdout) if p.stdout.strip() else None


@pytest.fixture
def state_dir():
    d = tempfile.mkdtemp(prefix="lvtest-")
    os.makedirs(os.path.join(d, "state"))
    yield os.path.join(d, "state")
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def daemon(state_dir):
    d = Daemon(state_dir).start()
    yield d
    assert d.stop() == 0, "daemon did not exit cleanly on SIGTERM"


@pytest.fixture
def ec2(daemon):
    return daemon.client()


def error_code(excinfo):
    """The EC2 error code of a botocore ClientError."""
    return excinfo.value.response["Error"]["Code"]


def http_status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]
