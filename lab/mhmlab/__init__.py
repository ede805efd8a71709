# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""mhmlab: the multihome.multus lab as one program (``python -m mhmlab``, with lab/ on sys.path)."""
