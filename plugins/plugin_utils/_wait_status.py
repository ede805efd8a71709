# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Judgement behind the ``multihome.multus.wait_status`` filter.

One poll of a long wait reads the object waited for (a DaemonSet and its pods,
pods, or anything that must go away) with ``kubernetes.core.k8s_info``. This
module turns what was read into whether the wait is over, one line for the
operator naming what is still not ready, and the detailed reasons (container
waiting reasons, pod phase, conditions, the last warning event) that a timeout
reports. Standard library only; no Ansible imports.

A DaemonSet is ready as ``kubectl rollout status`` and kubernetes.core see it:
the controller observed the current generation and every desired pod is
updated, ready and available. Pods are ready with the condition ``Ready``.
Something waited for to go is gone when nothing of it is read any more.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.multihome.multus.plugins.plugin_utils._daemonset_status import _items, _mapping, count

KINDS_READY = ('DaemonSet', 'Pod')
STATES = ('present', 'absent')
MESSAGE_LIMIT = 240
TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation'
POD_TEMPLATE_GENERATION = 'pod-template-generation'


def _text(value: object) -> str:
    return '' if value is None else str(value)


def _short(message: object, limit: int = MESSAGE_LIMIT) -> str:
    """MESSAGE on one line, cut at LIMIT characters."""
    flat = ' '.join(_text(message).split())
    return flat if len(flat) <= limit else flat[:limit - 3] + '...'


def _meta(obj: object) -> Mapping:
    return _mapping(_mapping(obj).get('metadata'))


def _status(obj: object) -> Mapping:
    return _mapping(_mapping(obj).get('status'))


def _ident(namespace: str, name: str) -> str:
    return f'{namespace}/{name}' if namespace else name


def _where(obj: object) -> str:
    meta = _meta(obj)
    return _ident(_text(meta.get('namespace')), _text(meta.get('name')) or '?')


def _condition(obj: object, kind: str) -> Mapping:
    for condition in _items(_status(obj).get('conditions')):
        if _mapping(condition).get('type') == kind:
            return _mapping(condition)
    return {}


def pod_is_ready(pod: object) -> bool:
    """Whether the pod has the condition Ready with status 'True' and is not being deleted."""
    return _condition(pod, 'Ready').get('status') == 'True' and not _meta(pod).get('deletionTimestamp')


def _node(pod: object) -> str:
    return _text(_mapping(_mapping(pod).get('spec')).get('nodeName'))


def _state(container_status: object) -> tuple[str, Mapping]:
    """('waiting' | 'running' | 'terminated' | '', details) of a container status."""
    state = _mapping(_mapping(container_status).get('state'))
    for name in ('waiting', 'terminated', 'running'):
        if name in state:
            return name, _mapping(state.get(name))
    return '', {}


def _init_brief(pod: object) -> str:
    """kubectl's Init:<reason> or Init:<done>/<all> while init containers run, else ''."""
    statuses = _items(_status(pod).get('initContainerStatuses'))
    for done, container in enumerate(statuses):
        state, details = _state(container)
        if state == 'terminated' and count(details.get('exitCode')) == 0:
            continue
        if state == 'terminated':
            return 'Init:' + (_text(details.get('reason')) or f"ExitCode:{count(details.get('exitCode'))}")
        if state == 'waiting' and details.get('reason') not in (None, '', 'PodInitializing'):
            return 'Init:' + _text(details.get('reason'))
        return f'Init:{done}/{len(statuses)}'
    return ''


def _container_brief(pod: object) -> str:
    """The first container that explains why the pod is not ready, in a few words."""
    not_ready = []
    for container in _items(_status(pod).get('containerStatuses')):
        state, details = _state(container)
        restarts = count(_mapping(container).get('restartCount'))
        again = f', {restarts} restarts' if restarts > 1 else (', 1 restart' if restarts == 1 else '')
        if state in ('waiting', 'terminated') and details.get('reason'):
            return _text(details.get('reason')) + again
        if not _mapping(container).get('ready'):
            not_ready.append(_text(_mapping(container).get('name')) or '?')
    return f"container {', '.join(not_ready)} not ready" if not_ready else ''


def pod_brief(pod: object) -> str:
    """Why the pod is not ready in a few words, like kubectl's STATUS column: 'ContainerCreating'."""
    status = _status(pod)
    if _meta(pod).get('deletionTimestamp'):
        return 'Terminating'
    if status.get('reason'):
        return _text(status.get('reason'))
    scheduled = _condition(pod, 'PodScheduled')
    if scheduled.get('status') == 'False':
        return _text(scheduled.get('reason')) or 'not scheduled'
    return _init_brief(pod) or _container_brief(pod) or _text(status.get('phase')) or 'no status yet'


def pod_line(pod: object) -> str:
    """Phase and reason of a pod: 'Pending (ContainerCreating)'."""
    phase = _text(_status(pod).get('phase')) or 'Unknown'
    brief = pod_brief(pod)
    return phase if brief in ('', phase) else f'{phase} ({brief})'


def _container_reasons(pod: object) -> list:
    reasons = []
    status = _status(pod)
    for label, key in (('init container', 'initContainerStatuses'), ('container', 'containerStatuses')):
        for container in _items(status.get(key)):
            container = _mapping(container)
            state, details = _state(container)
            if container.get('ready') or (label == 'init container' and state == 'terminated'
                                          and count(details.get('exitCode')) == 0):
                continue
            name = _text(container.get('name')) or '?'
            text = f'{label} {name} {state or "without state"}'
            if details.get('reason'):
                text += f": {details.get('reason')}"
            if state == 'terminated':
                text += f", exit code {count(details.get('exitCode'))}"
            if details.get('message'):
                text += f" ({_short(details.get('message'))})"
            elif state == 'running':
                text += ', not ready'
            restarts = count(container.get('restartCount'))
            if restarts:
                text += f', {restarts} restart' + ('s' if restarts > 1 else '')
            last = _mapping(_mapping(container.get('lastState')).get('terminated'))
            if restarts and last:
                text += f", last exit: {last.get('reason') or 'terminated'} (code {count(last.get('exitCode'))})"
            reasons.append(text)
    return reasons


def _condition_reasons(pod: object) -> list:
    reasons = []
    for condition in _items(_status(pod).get('conditions')):
        condition = _mapping(condition)
        if condition.get('status') == 'True':
            continue
        text = f"{condition.get('type', '?')} {condition.get('status', '?')}"
        if condition.get('reason'):
            text += f" ({condition.get('reason')})"
        if condition.get('type') == 'PodScheduled' and condition.get('message'):
            text += f": {_short(condition.get('message'))}"
        reasons.append(text)
    return ['conditions ' + ', '.join(reasons)] if reasons else []


def _event_time(event: Mapping) -> str:
    return _text(event.get('lastTimestamp') or event.get('eventTime') or _meta(event).get('creationTimestamp'))


def last_warning(events: object, kind: str, name: str) -> str:
    """The most recent Warning event about KIND NAME: 'Failed (x4): message', or ''."""
    found = [_mapping(e) for e in _items(events)
             if _mapping(_mapping(e).get('involvedObject')).get('kind') == kind
             and _mapping(_mapping(e).get('involvedObject')).get('name') == name
             and _mapping(e).get('type', 'Warning') == 'Warning']
    if not found:
        return ''
    event = max(found, key=_event_time)
    times = count(event.get('count')) or count(_mapping(event.get('series')).get('count'))
    repeated = f' (x{times})' if times > 1 else ''
    return f"last warning event {event.get('reason') or '?'}{repeated}: {_short(event.get('message'))}"


def pod_reasons(pod: object, events: object = ()) -> str:
    """Everything known about why POD is not ready (or not gone), on one line."""
    meta = _meta(pod)
    status = _status(pod)
    node = _node(pod)
    parts = [_text(status.get('phase')) or 'no phase yet']
    if meta.get('deletionTimestamp'):
        finalizers = ', '.join(_text(f) for f in _items(meta.get('finalizers')))
        parts.append(f"being deleted since {meta.get('deletionTimestamp')}"
                     + (f' (finalizers: {finalizers})' if finalizers else ''))
    if status.get('reason') or status.get('message'):
        parts.append(': '.join(_short(v) for v in (status.get('reason'), status.get('message')) if v))
    parts += _container_reasons(pod) + _condition_reasons(pod)
    warning = last_warning(events, 'Pod', _text(meta.get('name')))
    if warning:
        parts.append(warning)
    return f"pod {_where(pod)} on node {node or '(none)'}: " + '; '.join(parts)


def _owned_by(pod: object, owner: object) -> bool:
    """Whether POD belongs to OWNER (by uid when both have one, else by kind and name)."""
    uid = _meta(owner).get('uid')
    for ref in _items(_meta(pod).get('ownerReferences')):
        ref = _mapping(ref)
        if uid and ref.get('uid'):
            if ref.get('uid') == uid:
                return True
        elif ref.get('kind') == _mapping(owner).get('kind', 'DaemonSet') and ref.get('name') == _meta(owner).get('name'):
            return True
    return not _items(_meta(pod).get('ownerReferences'))


def _old_template(pod: object, daemonset: object) -> bool:
    wanted = _mapping(_meta(daemonset).get('annotations')).get(TEMPLATE_GENERATION)
    running = _mapping(_meta(pod).get('labels')).get(POD_TEMPLATE_GENERATION)
    return wanted is not None and running is not None and _text(wanted) != _text(running)


def _sorted_pods(pods: list) -> list:
    return sorted(pods, key=lambda pod: (_node(pod), _text(_meta(pod).get('name'))))


def _daemonset_ready(daemonset: object) -> tuple[bool, dict]:
    meta = _meta(daemonset)
    status = _status(daemonset)
    numbers = {
        'generation': count(meta.get('generation')),
        'observed': count(status.get('observedGeneration')),
        'desired': count(status.get('desiredNumberScheduled')),
        'scheduled': count(status.get('currentNumberScheduled')),
        'updated': count(status.get('updatedNumberScheduled')),
        'ready': count(status.get('numberReady')),
        'available': count(status.get('numberAvailable')),
    }
    ready = (bool(status) and 'desiredNumberScheduled' in status
             and numbers['observed'] >= numbers['generation']
             and numbers['updated'] == numbers['desired']
             and numbers['ready'] == numbers['desired']
             and numbers['available'] == numbers['desired'])
    return ready, numbers


def _daemonset_present(subject: str, found: list, pods: list, events: object) -> dict:
    if not found:
        return {'ready': False, 'line': f'{subject}: not found yet', 'reasons': [f'{subject} does not exist']}
    daemonset = found[0]
    ready, n = _daemonset_ready(daemonset)
    if ready:
        line = f"{subject}: ready, {n['desired']} of {n['desired']} pods updated and ready"
        return {'ready': True, 'line': line if n['desired'] else f'{subject}: ready, no node to run a pod on',
                'reasons': []}
    parts, reasons = [], []
    if n['observed'] < n['generation']:
        seen = f"generation {n['generation']} not yet seen by the DaemonSet controller (observed {n['observed']})"
        parts.append(seen)
        reasons.append(seen)
    parts.append(f"{n['ready']} of {n['desired']} pods ready")
    if n['updated'] < n['desired']:
        parts.append(f"{n['updated']} of {n['desired']} updated")
    if n['ready'] == n['desired'] and n['available'] < n['desired']:
        parts.append(f"{n['available']} of {n['desired']} available")
    if n['scheduled'] < n['desired']:
        missing = f"{n['desired'] - n['scheduled']} node(s) have no pod yet"
        parts.append(missing)
        reasons.append(missing)
    warning = last_warning(events, 'DaemonSet', _text(_meta(daemonset).get('name')))
    if warning:
        reasons.append(f'DaemonSet {_where(daemonset)}: {warning}')
    stuck = []
    for pod in _sorted_pods([p for p in pods if _owned_by(p, daemonset)]):
        old = _old_template(pod, daemonset)
        if pod_is_ready(pod) and not old:
            continue
        brief = 'old template, ' + pod_brief(pod) if old else pod_brief(pod)
        if old and pod_is_ready(pod):
            brief = 'old template, ready, waiting to be replaced'
        stuck.append(f"node {_node(pod) or '(none)'} (pod {_text(_meta(pod).get('name'))}: {brief})")
        reasons.append(pod_reasons(pod, events) + ('; runs the old template' if old else ''))
    if stuck:
        parts.append('not ready: ' + ', '.join(stuck))
    return {'ready': False, 'line': f"{subject}: {'; '.join(parts)}", 'reasons': reasons}


def _pods_present(subject: str, found: list, events: object, by_name: bool) -> dict:
    if not found:
        return {'ready': False, 'line': f"{subject}: {'not found yet' if by_name else 'none yet'}",
                'reasons': [f"{subject}: {'it does not exist' if by_name else 'no pod matches'}"]}
    pods = _sorted_pods(found)
    stuck = [pod for pod in pods if not pod_is_ready(pod)]
    reasons = [pod_reasons(pod, events) for pod in stuck]
    if by_name:
        line = f'{subject}: ' + ('Ready' if not stuck else pod_line(stuck[0]))
    elif not stuck:
        line = f'{subject}: {len(pods)} of {len(pods)} Ready'
    else:
        line = (f'{subject}: {len(pods) - len(stuck)} of {len(pods)} Ready; not ready: '
                + ', '.join(f"pod {_where(pod)} on node {_node(pod) or '(none)'}: {pod_line(pod)}" for pod in stuck))
    return {'ready': not stuck, 'line': line, 'reasons': reasons}


def _left(obj: object) -> str:
    meta = _meta(obj)
    text = 'still there'
    if meta.get('deletionTimestamp'):
        text += ', being deleted'
        finalizers = ', '.join(_text(f) for f in _items(meta.get('finalizers')))
        if finalizers:
            text += f' (finalizers: {finalizers})'
    return text


def _gone_pod(pod: object) -> str:
    brief = pod_brief(pod) if _meta(pod).get('deletionTimestamp') else pod_line(pod)
    return f"on node {_node(pod) or '(none)'} ({brief})"


def _absent(subject: str, kind: str, found: list, pods: list, events: object, by_name: bool) -> dict:
    if kind == 'Pod' and by_name:
        line = f'{subject}: ' + (f'still there {_gone_pod(found[0])}' if found else 'gone')
        return {'ready': not found, 'line': line, 'reasons': [pod_reasons(pod, events) for pod in found]}
    parts, reasons = [], []
    if found and kind != 'Pod':
        for obj in found:
            parts.append(_left(obj))
            reasons.append(f'{kind} {_where(obj)}: {_left(obj)}')
    elif kind != 'Pod':
        parts.append('gone')
    left = _sorted_pods(found if kind == 'Pod' else pods)
    if left:
        parts.append(f'{len(left)} pod(s) left: ' + ', '.join(f'{_where(pod)} {_gone_pod(pod)}' for pod in left))
        reasons += [pod_reasons(pod, events) for pod in left]
    elif kind == 'Pod':
        parts.append('gone')
    ready = not found and not left
    return {'ready': ready, 'line': f"{subject}: {'; '.join(parts)}", 'reasons': reasons}


def subject_of(kind: str, what: str = '', name: str = '', namespace: str = '', selector: str = '') -> str:
    """How the messages name what is waited for: 'Multus DaemonSet kube-system/kube-multus-ds'."""
    if name:
        subject = f'{kind} {_ident(namespace, name)}'
    else:
        plural = 'pods' if kind == 'Pod' else f'{kind} objects'
        subject = f'{plural} {selector or "(all)"}' + (f' in {namespace}' if namespace else '')
    return f'{what} {subject}' if what else subject


def wait_status(objects: object, kind: str, state: str = 'present', pods: object = (), events: object = (),
                what: str = '', name: str = '', namespace: str = '', selector: str = '') -> dict:
    """Judge one poll of a wait.

    ``objects`` is the ``resources`` list that ``k8s_info`` read for KIND
    (by NAME, or by the label SELECTOR for pods), ``pods`` the pods read for a
    DaemonSet (its selector), ``events`` the Warning events of the namespace
    (read when the time is up). STATE ``present`` waits for a DaemonSet or
    pods to be ready, ``absent`` for anything to be gone (a DaemonSet with its
    pods). Returns ``ready``, ``subject``, ``line`` (one line for the poll)
    and ``reasons`` (one string per thing not ready, with the details).
    """
    if state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}, got {state!r}")
    if not isinstance(kind, str) or not kind:
        raise ValueError(f'kind must be a Kubernetes kind, got {kind!r}')
    if state == 'present' and kind not in KINDS_READY:
        raise ValueError(f"only {' and '.join(KINDS_READY)} can be waited for to be ready, got kind {kind!r}")
    found = [_mapping(obj) for obj in _items(objects) if _mapping(obj)]
    pods = [_mapping(pod) for pod in _items(pods) if _mapping(pod)]
    subject = subject_of(kind, what, name, namespace, selector)
    if state == 'absent':
        result = _absent(subject, kind, found, pods, events, bool(name))
    elif kind == 'DaemonSet':
        result = _daemonset_present(subject, found, pods, events)
    else:
        result = _pods_present(subject, found, events, bool(name))
    return {'ready': result['ready'], 'subject': subject, 'line': result['line'], 'reasons': result['reasons']}
