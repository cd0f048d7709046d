# An Incident Manager set-up with the mistakes this pack exists to catch.
# Run it with: scripts/example

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

data "aws_iam_policy_document" "incident_manager_key" {
  statement {
    sid       = "EnableRootAccess"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }

  statement {
    sid       = "AllowIncidentManager"
    actions   = ["kms:CreateGrant", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/IncidentManagerAdmin"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "incident_east" {
  description         = "Incident Manager data"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.incident_manager_key.json

  lifecycle {
    prevent_destroy = true
  }
}

# Mistake: the key for us-west-2 is created with the default (us-east-1)
# provider, and its policy has no Incident Manager statement.
resource "aws_kms_key" "incident_west" {
  description         = "Incident Manager data"
  enable_key_rotation = true
}

resource "aws_ssmincidents_replication_set" "main" {
  region {
    name        = "us-east-1"
    kms_key_arn = aws_kms_key.incident_east.arn
  }
  region {
    name        = "us-west-2"
    kms_key_arn = aws_kms_key.incident_west.key_id
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_sns_topic" "incident_chat" {
  name = "incident-chat"
}

resource "aws_ssmincidents_response_plan" "database_outage" {
  name         = "database-outage"
  display_name = "Database outage (owner: jane.doe@example.com)"
  chat_channel = [aws_sns_topic.incident_chat.arn]

  incident_template {
    title  = "Database outage"
    impact = 2
  }

  action {
    ssm_automation {
      document_name = "AWS-PublishSNSNotification"
      role_arn      = "arn:aws:iam::111122223333:role/IncidentAutomation"

      parameter {
        name   = "StatusPageUrl"
        values = ["https://status.example.com/api/incidents?api_key=0123456789abcdef"]
      }
    }
  }

  depends_on = [aws_ssmincidents_replication_set.main]
}
