# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: wait_status
short_description: Judge one poll of a wait for a DaemonSet, pods, or an object to go
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Turns what one poll of M(kubernetes.core.k8s_info) read into whether the wait is over, one line for the operator
    naming what is still not ready, and the reasons a timeout reports.
  - A DaemonSet is ready when its controller has observed the current generation and every desired pod is updated,
    ready and available (as C(kubectl rollout status) sees it). Its pods that are not ready, or still run an older
    template, are named with their node and why (V(ContainerCreating), V(ImagePullBackOff), V(CrashLoopBackOff), ...).
  - Pods are ready when they have the condition C(Ready) with status V(True); pods found by a label selector must all
    be, and at least one must exist.
  - With O(state=absent) the wait is over when nothing is read any more; for a DaemonSet its pods must be gone too.
  - The reasons of a pod give its phase, the state of each container that is not ready (waiting reason and message,
    exit code, restarts), the conditions that are not V(True) and, when O(events) are given, the last Warning event
    about it.
positional: kind, state
options:
  _input:
    description: The C(resources) list of M(kubernetes.core.k8s_info) for O(kind) (empty when nothing was found).
    type: list
    elements: dict
    required: true
  kind:
    description: The kind that was read. V(DaemonSet) or V(Pod) with O(state=present); any kind with O(state=absent).
    type: str
    required: true
  state:
    description: V(present) waits until ready, V(absent) until gone.
    type: str
    default: present
    choices: [present, absent]
  pods:
    description: For a DaemonSet, the C(resources) of M(kubernetes.core.k8s_info) for its pods (its label selector).
      Pods that another owner controls are left out.
    type: list
    elements: dict
    default: []
  events:
    description: Warning events of the namespace (C(resources) of M(kubernetes.core.k8s_info) for kind C(Event)); the
      last one about each object that is not ready joins its reasons.
    type: list
    elements: dict
    default: []
  what:
    description: What the messages call the object, before its kind, for example V(Multus).
    type: str
    default: ''
  name:
    description: Name of the object waited for; empty when pods are found by a label selector.
    type: str
    default: ''
  namespace:
    description: Namespace of the object or pods; empty for cluster-scoped kinds.
    type: str
    default: ''
  selector:
    description: The label selector, for the messages when there is no O(name).
    type: str
    default: ''
"""

EXAMPLES = r"""
- name: Read the Multus DaemonSet
  kubernetes.core.k8s_info:
    api_version: apps/v1
    kind: DaemonSet
    namespace: kube-system
    name: kube-multus-ds
  register: ds_info

- name: Read its pods
  kubernetes.core.k8s_info:
    api_version: v1
    kind: Pod
    namespace: kube-system
    label_selectors: [name=multus]
  register: pod_info

- name: Say what is not ready
  ansible.builtin.debug:
    msg: >-
      {{ (ds_info.resources | multihome.multus.wait_status('DaemonSet', pods=pod_info.resources, what='Multus',
          name='kube-multus-ds', namespace='kube-system')).line }}
  # -> Multus DaemonSet kube-system/kube-multus-ds: 1 of 2 pods ready; not ready: node worker-2
  #    (pod kube-multus-ds-7xk2p: ContainerCreating)

- name: Are the verification pods gone?
  ansible.builtin.set_fact:
    gone: >-
      {{ (pods.resources | multihome.multus.wait_status('Pod', 'absent', namespace='mhm-verify',
          selector='app.kubernetes.io/component=verification')).ready }}
"""

RETURN = r"""
_value:
  description: The judgement of the poll.
  type: dict
  contains:
    ready:
      description: Whether the wait is over (ready, or gone with O(state=absent)).
      type: bool
    subject:
      description: How the messages name what is waited for, for example C(Multus DaemonSet kube-system/kube-multus-ds).
      type: str
    line:
      description: One line for this poll, the subject first, naming what is still not ready and why in a few words.
      type: str
    reasons:
      description: One entry per thing not ready (the DaemonSet, each pod), with every detail known; empty when ready.
      type: list
      elements: str
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._wait_status import wait_status as _wait_status


def _objects(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes)) and all(isinstance(v, Mapping) for v in value)


def wait_status(objects, kind, state='present', pods=None, events=None, what='', name='', namespace='', selector=''):
    """Judge one poll of a wait."""
    for label, value in (('the input', objects), ('pods', [] if pods is None else pods),
                         ('events', [] if events is None else events)):
        if not _objects(value):
            raise AnsibleFilterError(f'wait_status: {label} must be a list of Kubernetes objects (dicts), got {value!r}')
    for label, value in (('kind', kind), ('state', state), ('what', what), ('name', name), ('namespace', namespace),
                         ('selector', selector)):
        if not isinstance(value, str):
            raise AnsibleFilterError(f'wait_status: {label} must be a string, got {value!r}')
    try:
        return _wait_status(objects, kind, state, [] if pods is None else pods, [] if events is None else events,
                            what, name, namespace, selector)
    except ValueError as exc:
        raise AnsibleFilterError(f'wait_status: {exc}') from exc


class FilterModule:
    """The wait_status filter."""

    def filters(self):
        return {
            'wait_status': wait_status,
        }
