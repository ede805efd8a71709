# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Stand-in for kubernetes.core.k8s_info: answers each read from the script (module_utils/fake_api.py)."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.kubernetes.core.plugins.module_utils.fake_api import next_read, record

ARGUMENTS = {
    'api_version': {'type': 'str', 'default': 'v1'},
    'kind': {'type': 'str', 'required': True},
    'name': {'type': 'str'},
    'namespace': {'type': 'str'},
    'label_selectors': {'type': 'list', 'elements': 'str', 'default': []},
    'field_selectors': {'type': 'list', 'elements': 'str', 'default': []},
}


def main():
    module = AnsibleModule(argument_spec=ARGUMENTS, supports_check_mode=True)
    record('k8s_info', module.params)
    module.exit_json(changed=False, api_found=True, resources=next_read(module.params['kind']))


if __name__ == '__main__':
    main()
