# Run by the MSI as SYSTEM (deferred custom action) once the files are in place. Generates this
# machine's token once (kept across upgrades) and writes it to %ProgramData%\discreet\token and into
# the browsers' managed extension settings, beside the values the MSI itself wrote. With -Remove
# (uninstall) it deletes both again. @CHROME_ID@ is filled in by packaging/windows/build.py.
param([switch]$Remove)
$ErrorActionPreference = 'Stop'

$data = Join-Path $env:ProgramData 'discreet'
$tokenFile = Join-Path $data 'token'
$keys = @(
    'HKLM:\SOFTWARE\Policies\Google\Chrome\3rdparty\extensions\@CHROME_ID@\policy',
    'HKLM:\SOFTWARE\Policies\Microsoft\Edge\3rdparty\extensions\@CHROME_ID@\policy',
    'HKLM:\SOFTWARE\Policies\Mozilla\Firefox\3rdparty\Extensions\discreet@discreet.example'
)

if ($Remove) {
    foreach ($key in $keys) { Remove-ItemProperty -Path $key -Name token -ErrorAction SilentlyContinue }
    Remove-Item -Path $tokenFile -Force -ErrorAction SilentlyContinue
    exit 0
}

# Only SYSTEM and administrators may change the folder; users (each user's service) may read it.
New-Item -ItemType Directory -Force -Path $data | Out-Null
& icacls.exe $data /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' '*S-1-5-32-545:(OI)(CI)RX' | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls failed on $data" }

if (-not (Test-Path $tokenFile) -or -not (Get-Content -Raw $tokenFile).Trim()) {
    $bytes = New-Object byte[] 32
    [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
    $token = -join ($bytes | ForEach-Object { $_.ToString('x2') })
    [System.IO.File]::WriteAllText($tokenFile, $token)
}
$token = (Get-Content -Raw $tokenFile).Trim()
foreach ($key in $keys) {
    if (-not (Test-Path $key)) { New-Item -Path $key -Force | Out-Null }  # -Force on an existing key would empty it
    New-ItemProperty -Path $key -Name token -Value $token -PropertyType String -Force | Out-Null
}
