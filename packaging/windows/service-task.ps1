# Run by the MSI as SYSTEM (deferred custom action). Registers the scheduled task that runs each
# user's Discreet service in that user's own session: at every logon, and right away for everyone
# already logged on (so the installing user is protected without logging off). With -Remove
# (uninstall) it stops the services and deletes the task.
#
# Why a task and not the HKLM Run key: a Run value starts only at the next logon and never again
# after a crash. The task's principal is the Users group with an interactive token, so it runs as
# each logged-on user, in their session (RDS/Citrix included). Restart after a crash: the task
# restarts the launcher if it fails, and the launcher (discreet-service.exe) itself restarts
# `discreet serve` when it exits with an error (packaging/bundle/entry.py).
param([switch]$Remove)
$ErrorActionPreference = 'Stop'

$taskName = 'Discreet service'
$program = Join-Path $PSScriptRoot 'discreet-service.exe'

if ($Remove) {
    if (Get-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue) {
        Stop-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue
        Unregister-ScheduledTask -TaskName $taskName -Confirm:$false
    }
    Get-Process -Name 'discreet-service', 'discreet' -ErrorAction SilentlyContinue |
        Where-Object { $_.Path -like "$PSScriptRoot*" } | Stop-Process -Force
    exit 0
}

$action = New-ScheduledTaskAction -Execute $program
$trigger = New-ScheduledTaskTrigger -AtLogOn
$principal = New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545' -RunLevel Limited   # BUILTIN\Users
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
    -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances IgnoreNew -AllowStartIfOnBatteries `
    -DontStopIfGoingOnBatteries -StartWhenAvailable
Register-ScheduledTask -TaskName $taskName -Action $action -Trigger $trigger -Principal $principal `
    -Settings $settings -Description 'Discreet local scan service, one per logged-on user' -Force | Out-Null
# Now, for every user already logged on (an upgrade restarts them on the new program).
Stop-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue
Start-ScheduledTask -TaskName $taskName
