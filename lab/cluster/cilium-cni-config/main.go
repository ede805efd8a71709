// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright: (c) 2026, multihome.multus contributors

// Command cilium-cni-config runs the CNI configuration manager of the Cilium
// agent (package daemon/cmd/cni of github.com/cilium/cilium, the version
// go.mod pins) and nothing else of the agent: no BPF, no Kubernetes client.
// It takes its settings as the agent does: the keys of the cilium-config
// ConfigMap mounted as files in --config-dir, overridden by command-line
// flags (--cni-exclusive, --write-cni-conf-when-ready, --read-cni-conf, ...).
// With cni-exclusive true it watches the CNI configuration directory and
// renames every other configuration to *.cilium_bak on each change there.
// It runs until SIGTERM or SIGINT.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/cilium/hive"
	"github.com/cilium/hive/cell"
	"github.com/spf13/pflag"

	"github.com/cilium/cilium/daemon/cmd/cni"
	"github.com/cilium/cilium/pkg/option"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "cilium-cni-config: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	flags := pflag.NewFlagSet("cilium-cni-config", pflag.ContinueOnError)
	configDir := flags.String("config-dir", "", "directory of the cilium-config ConfigMap: one file per key")
	debug := flags.Bool("debug", false, "debug mode of the CNI plugin configuration (enable-debug)")

	h := hive.New(
		cell.Provide(func() *option.DaemonConfig {
			return &option.DaemonConfig{Debug: *debug}
		}),
		cni.Cell,
		// Providers are lazy: ask for the manager so that its start hook runs.
		cell.Invoke(func(cni.CNIConfigManager) {}),
	)
	h.RegisterFlags(flags)
	if err := flags.Parse(args); err != nil {
		return err
	}

	if *configDir != "" {
		if _, err := os.Stat(*configDir); err != nil {
			return fmt.Errorf("configuration directory: %w", err)
		}
		settings, err := option.ReadDirConfig(logger, *configDir)
		if err != nil {
			return err
		}
		// Viper ranks flags set on the command line above these values.
		if err := option.MergeConfig(h.Viper(), settings); err != nil {
			return err
		}
		if value, ok := settings["debug"].(string); ok && !flags.Changed("debug") {
			*debug = value == "true"
		}
	}
	logger.Info("starting Cilium's CNI configuration manager",
		"cni-exclusive", h.Viper().GetBool(option.CNIExclusive),
		"write-cni-conf-when-ready", h.Viper().GetString(option.WriteCNIConfigurationWhenReady),
		"read-cni-conf", h.Viper().GetString(option.ReadCNIConfiguration))
	return h.Run(logger)
}
