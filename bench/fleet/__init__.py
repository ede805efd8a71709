# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Node-side benchmark of issue 11: the guide's way, Kubespray's way and the collection, N workers on the lab."""
