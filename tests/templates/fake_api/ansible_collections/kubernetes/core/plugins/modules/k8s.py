# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Stand-in for kubernetes.core.k8s: records the call (module_utils/fake_api.py) and reports a change."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.kubernetes.core.plugins.module_utils.fake_api import record

ARGUMENTS = {
    'state': {'type': 'str', 'default': 'present'},
    'apply': {'type': 'bool', 'default': False},
    'definition': {'type': 'raw'},
    'template': {'type': 'raw'},
    'api_version': {'type': 'str', 'default': 'v1'},
    'kind': {'type': 'str'},
    'name': {'type': 'str'},
    'namespace': {'type': 'str'},
    'wait': {'type': 'bool', 'default': False},
    'wait_condition': {'type': 'dict'},
    'wait_timeout': {'type': 'int', 'default': 120},
}


def main():
    module = AnsibleModule(argument_spec=ARGUMENTS, supports_check_mode=True)
    record('k8s', {**module.params, 'check_mode': module.check_mode})
    module.exit_json(changed=True, result=module.params['definition'] or {})


if __name__ == '__main__':
    main()
