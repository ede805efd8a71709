# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Client certificates signed by the lab cluster's CA (openssl): the collection's admin user, the kubelets."""

from __future__ import annotations

import base64
from pathlib import Path

from mhmlab.runner import Runner

OPENSSL_WAIT = 60


def sign_client(runner: Runner, ca_dir: Path, out: Path, subject: str, days: int) -> None:
    """``out.key``/``out.csr``/``out.crt``: a new RSA key and a certificate for subject, signed by ca_dir's CA."""
    key, csr, crt = (out.with_name(f'{out.name}.{ext}') for ext in ('key', 'csr', 'crt'))
    runner.run(['openssl', 'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', subject,
                '-keyout', key, '-out', csr], timeout=OPENSSL_WAIT)
    serial = runner.output(['openssl', 'rand', '-hex', '16'], timeout=OPENSSL_WAIT).strip()
    runner.run(['openssl', 'x509', '-req', '-in', csr, '-CA', ca_dir / 'ca.crt', '-CAkey', ca_dir / 'ca.key',
                '-set_serial', f'0x{serial}', '-days', str(days), '-sha256', '-out', crt], timeout=OPENSSL_WAIT)
    if key.exists():
        key.chmod(0o600)


def data(path: Path) -> str:
    """A file as kubeconfig's ``*-data`` fields embed it (base64)."""
    return base64.b64encode(path.read_bytes()).decode('ascii')
