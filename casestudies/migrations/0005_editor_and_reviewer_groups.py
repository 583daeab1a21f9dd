"""Made the two editorial groups, Editors and Reviewers. They are now made, and given the rights
of every kind of record, after each `migrate` by cooperation.editorial.groups, where the workflow
lives; this migration stays so that the migrations after it keep their place."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0004_workflow_and_history"),
        ("cooperation", "0003_workflow_and_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
