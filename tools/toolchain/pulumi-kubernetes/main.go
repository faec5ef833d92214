// Wrapper that builds pulumi-resource-kubernetes, the plugin behind
// @pulumi/kubernetes, for the benchmark only (`npm run bench`), which compares
// our VmPool with the same objects as CustomResources. Upstream's own main
// embeds a schema its Makefile generates (schema.json with the version set);
// tools/build-kubernetes-provider.sh writes those two files beside this one
// from the module's own schema.json and terraform-mapping.json, then builds.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
