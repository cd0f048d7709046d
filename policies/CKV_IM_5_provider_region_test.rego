package incident_manager_test.rules.ckv_im_5

import rego.v1

import data.incident_manager.rules.ckv_im_5
import data.incident_manager_test.plans

_set_with_provider(provider) := object.union(plans.replication_set([{"name": "us-east-1"}, {"name": "us-west-2"}]), {"provider": provider})

_findings(rset) := result if {
	result := ckv_im_5.findings with data.incident_manager.lib.view.replication_sets as {"aws_ssmincidents_replication_set.main": object.union({"address": "aws_ssmincidents_replication_set.main"}, rset)}
}

test_finding_provider_region_is_no_entry if {
	[finding] := [f | some f in data.incident_manager.deny with input as plans.plan([_set_with_provider("aws.eu")]); f.id == "CKV_IM_5"]
	contains(finding.msg, "is in eu-west-1, which is not one of its Regions (us-east-1, us-west-2)")
}

test_finding_no_entries_at_all if {
	[finding] := [f | some f in _findings({"provider_region": "us-east-1", "entries": []})]
	contains(finding.msg, "(none)")
}

test_no_finding_provider_region_is_an_entry if {
	[] == [f | some f in data.incident_manager.deny with input as plans.plan([_set_with_provider("aws.west")]); f.id == "CKV_IM_5"]
}

test_no_finding_provider_region_from_a_variable if {
	document := json.patch(plans.plan([_set_with_provider("aws.var")]), [
		{"op": "add", "path": "/configuration/provider_config/aws.var", "value": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}}},
		{"op": "add", "path": "/variables", "value": {"region": {"value": "us-west-2"}}},
	])
	[] == [f | some f in data.incident_manager.deny with input as document; f.id == "CKV_IM_5"]
}

test_no_finding_unresolved_provider_region_or_entry_name if {
	count(_findings({"entries": [{"name": "us-east-1"}]})) == 0
	count(_findings({"provider_region": "eu-west-1", "entries": [{"name": "us-east-1"}, {"key": null}]})) == 0
}
